package dev.vouch.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.qr.LinkCode;
import dev.vouch.qr.QrCodes;
import dev.vouch.qr.camera.Camera;
import dev.vouch.qr.camera.ImageSequenceCamera;
import dev.vouch.qr.camera.RecordedFrames;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.Member;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Link a new device" in the settings, with a synchronous executor, on a real profile and relay:
 * a new device's code (pasted or in a picture) is checked and its key and name shown for
 * confirmation; every bad input is refused in plain words, and the device list is left as it was.
 */
class LinkDeviceViewModelTest {
    static final String PASSPHRASE = "harbour violet copper thirty 6";

    @TempDir
    Path dir;

    private LocalRelay relay;
    private ProfileStore store;
    private Session session;
    private final List<SignedDeviceList> published = new ArrayList<>();

    @BeforeEach
    void registered() throws Exception {
        relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
        Desktops.registered(dir.resolve("ada"), "ada", PASSPHRASE, relay.invite());
        store = ProfileStore.open(dir.resolve("ada"), Clock.systemUTC());
        store.unlock(PASSPHRASE.toCharArray());
        session = Session.open(store, Messenger.Options.defaults());
        session.messenger().connect();
    }

    @AfterEach
    void close() {
        session.close();
        store.close();
        relay.close();
    }

    private LinkDeviceViewModel model() {
        return new LinkDeviceViewModel(session, UiExecutors.synchronous(), List::of, published::add);
    }

    /** A new device's code, as {@code Messenger.requestLink} makes it in a fresh profile. */
    private LinkCode newDevicesCode(String name) throws Exception {
        ProfileStore fresh = ProfileStore.create(dir.resolve(name), "a new device's passphrase".toCharArray(),
                Desktops.FAST_KDF, Clock.systemUTC());
        try (fresh) {
            return Messenger.requestLink(fresh, relay.invite(), name, Messenger.Options.defaults()).code();
        }
    }

    private static void refused(LinkDeviceViewModel vm, String... words) {
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CODE);
        assertThat(vm.problemProperty().get()).contains(words);
        assertThat(vm.fingerprintProperty().get()).isEmpty();
    }

    private void paste(LinkDeviceViewModel vm, String text) {
        vm.codeTextProperty().set(text);
        vm.takePasted();
    }

    @Test
    void showsTheNewDevicesKeyAndNameFromPastedTextOrAPictureForConfirmation() throws Exception {
        LinkCode code = newDevicesCode("laptop");
        LinkDeviceViewModel vm = model();
        paste(vm, "  " + code.encode() + "\n");
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CONFIRM);
        assertThat(vm.fingerprintProperty().get()).isEqualTo(KeyFingerprint.of(code.deviceKey()));
        assertThat(vm.nameProperty().get()).isEqualTo("laptop");
        assertThat(vm.problemProperty().get()).isEmpty();
        vm.nameProperty().set(" ");
        vm.confirm();
        assertThat(vm.problemProperty().get()).contains("Give the new device a name");
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CONFIRM);
        vm.cancel();
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CODE);
        assertThat(vm.fingerprintProperty().get()).isEmpty();

        Path picture = dir.resolve("code.png");
        ImageIO.write(QrCodes.encode(code.encode()), "png", picture.toFile());
        vm.scanFile(picture);
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CONFIRM);
        assertThat(vm.fingerprintProperty().get()).isEqualTo(KeyFingerprint.of(code.deviceKey()));
        assertThat(published).isEmpty();
        assertThat(session.messenger().ownDevices().orElseThrow().devices()).hasSize(1);
    }

    @Test
    void aWebcamFilmingTheNewDevicesScreenTakesItsCode() throws Exception {
        LinkCode code = newDevicesCode("tablet");
        Random random = new Random(7);
        Camera desk = new ImageSequenceCamera("Desk camera", List.of(RecordedFrames.noise(random),
                RecordedFrames.noise(random), RecordedFrames.holding(code.encode())), Duration.ofMillis(20), Long.MAX_VALUE);
        // the camera's threads hand results to this thread's queue, as the app's hand them to the FX thread
        java.util.concurrent.BlockingQueue<Runnable> ui = new java.util.concurrent.LinkedBlockingQueue<>();
        LinkDeviceViewModel vm = new LinkDeviceViewModel(session, new UiExecutors(Runnable::run, ui::add),
                () -> List.of(desk), published::add);
        vm.camera().find();
        ui.take().run();
        assertThat(vm.camera().noteProperty().get()).isEqualTo("Camera: Desk camera.");
        vm.camera().start();
        ui.take().run(); // the camera opened
        assertThat(vm.camera().noteProperty().get()).isEqualTo("Hold the new device's code in front of Desk camera.");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (vm.stepProperty().get() != LinkDeviceViewModel.Step.CONFIRM && System.nanoTime() < deadline) {
            Runnable next = ui.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (next != null) {
                next.run();
            }
        }
        assertThat(vm.stepProperty().get()).isEqualTo(LinkDeviceViewModel.Step.CONFIRM);
        assertThat(vm.fingerprintProperty().get()).isEqualTo(KeyFingerprint.of(code.deviceKey()));
        assertThat(vm.nameProperty().get()).isEqualTo("tablet");
        assertThat(vm.camera().scanningProperty().get()).as("the camera stops once a code is read").isFalse();
        assertThat(vm.camera().noteProperty().get()).isEqualTo("Code read with Desk camera.");
        vm.camera().dispose();
        assertThat(published).isEmpty();
    }

    @Test
    void refusesEachBadCodeInPlainWordsAndChangesNothing() throws Exception {
        LinkDeviceViewModel vm = model();
        long version = session.messenger().ownDevices().orElseThrow().version();

        paste(vm, "");
        assertThat(vm.problemProperty().get()).contains("Paste the code");
        paste(vm, "hello, this is not a code");
        refused(vm, "not a Vouch link code");
        LinkCode good = newDevicesCode("laptop");
        paste(vm, good.encode().substring(0, good.encode().length() - 9));
        refused(vm, "damaged or incomplete");

        try (Member bob = Member.register(dir, "bob", relay, Clock.systemUTC())) {
            bob.online().addContact("ada");
            paste(vm, bob.messenger().keys().qrPayload(bob.messenger().keys().require("ada")).encode());
            refused(vm, "contact's safety code, not a link code", "Nothing was changed");
        }

        LinkCode expired = new LinkCode(good.ephemeralKey(), good.secret(), Instant.now().minus(Duration.ofMinutes(1)),
                good.deviceKey(), good.invite(), good.name());
        paste(vm, expired.encode());
        refused(vm, "expired", "Nothing was changed", "Show a new code");

        try (LocalRelay other = LocalRelay.start(dir.resolve("other"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            LinkCode elsewhere = new LinkCode(good.ephemeralKey(), good.secret(), good.expiresAt(), good.deviceKey(),
                    other.invite().link(), good.name());
            paste(vm, elsewhere.encode());
            refused(vm, "another relay or account", "Nothing was changed");
        }

        Path notes = Files.writeString(dir.resolve("notes.png"), "text, not a picture");
        vm.scanFile(notes);
        refused(vm, "not a picture Vouch can read");

        session.messenger().close(); // offline: the account's list cannot be read from the relay
        paste(vm, good.encode());
        refused(vm, "relay cannot be reached", "Nothing was changed");

        assertThat(published).isEmpty();
        assertThat(session.messenger().ownDevices().orElseThrow().version()).isEqualTo(version);
    }
}
