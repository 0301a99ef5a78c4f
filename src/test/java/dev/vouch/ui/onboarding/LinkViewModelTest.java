package dev.vouch.ui.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.qr.LinkCode;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.shell.DesktopConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new device's side of a link, on a real relay: the form's rules, the code shown, its expiry
 * (with a clock that runs a minute per reading), Cancel and a new code for the same profile, and a
 * relay that is gone. Background work runs on the calling thread, one task at a time where the
 * test steps through the rounds of waiting.
 */
class LinkViewModelTest {
    static final String STRONG = "violet harbour tractor quietly 71";

    @TempDir
    Path dir;

    private LocalRelay relay;
    private final List<ProfileStore> linked = new ArrayList<>();
    private final Queue<Runnable> background = new ArrayDeque<>();

    @BeforeEach
    void relay() throws Exception {
        relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
    }

    @AfterEach
    void close() {
        relay.close();
    }

    /** A clock that moves on a minute each time it is read: a code expires within a round of waiting. */
    private static final class Racing extends Clock {
        private Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(Duration.ofMinutes(1));
            return now;
        }
    }

    private LinkViewModel viewModel(Clock clock, UiExecutors executors) {
        Messenger.Options options = new Messenger.Options(RelayConnection.Options.defaults(), clock, CryptoRandom.get());
        DesktopConfig config = new DesktopConfig(dir.resolve("laptop"), Desktops.FAST_KDF, Duration.ZERO, clock,
                options, LocalRelays.NONE, executors, owner -> Optional.empty());
        return new LinkViewModel(config, linked::add);
    }

    /** Background tasks wait in a queue until the test runs them; results come back at once. */
    private UiExecutors stepped() {
        return new UiExecutors(background::add, Runnable::run);
    }

    private static void fill(LinkViewModel vm, String passphrase, String invite) {
        vm.passphraseChanged(passphrase.toCharArray(), passphrase.toCharArray());
        vm.inviteProperty().set(invite);
        vm.nameProperty().set("laptop");
    }

    @Test
    void asksForAStrongPassphraseAnInviteAndANameAndRefusesABadInviteWithoutCreatingAProfile() {
        LinkViewModel vm = viewModel(Clock.systemUTC(), UiExecutors.synchronous());
        assertThat(vm.nameProperty().get()).as("a default name").isNotBlank();
        fill(vm, "password123", relay.invite().link());
        assertThat(vm.readyProperty().get()).as("a weak passphrase").isFalse();
        fill(vm, STRONG, "");
        assertThat(vm.readyProperty().get()).as("no invite").isFalse();
        fill(vm, STRONG, relay.invite().link());
        vm.nameProperty().set("  ");
        assertThat(vm.readyProperty().get()).as("no name").isFalse();

        fill(vm, STRONG, "vouch://relay?garbage");
        vm.showCode(STRONG.toCharArray());
        assertThat(vm.problemProperty().get()).contains("invite link does not work");
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.FORM);
        assertThat(ProfileStore.exists(dir.resolve("laptop"))).isFalse();
    }

    @Test
    void showsTheCodeAndItsFingerprintThenSaysItExpiredAndShowsANewOne() throws Exception {
        LinkViewModel vm = viewModel(new Racing(), UiExecutors.synchronous());
        List<String> codes = new ArrayList<>();
        vm.codeTextProperty().addListener((o, was, now) -> {
            if (!now.isEmpty()) {
                codes.add(now);
            }
        });
        List<String> fingerprints = new ArrayList<>();
        vm.fingerprintProperty().addListener((o, was, now) -> fingerprints.add(now));
        fill(vm, STRONG, relay.invite().link());
        vm.showCode(STRONG.toCharArray());

        assertThat(codes).hasSize(1);
        LinkCode code = LinkCode.decode(codes.get(0));
        assertThat(code.name()).isEqualTo("laptop");
        assertThat(Invite.parse(code.invite(), Instant.now()).port()).isEqualTo(relay.invite().port());
        assertThat(fingerprints).containsExactly(KeyFingerprint.of(code.deviceKey()));
        // ten minutes pass in the first rounds of waiting: nobody took it
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.EXPIRED);
        assertThat(vm.problemProperty().get()).contains("expired").contains("Show a new code");
        assertThat(vm.codeTextProperty().get()).as("an expired code is not left on screen").isEmpty();
        assertThat(vm.qrProperty().get()).isNull();
        assertThat(linked).isEmpty();

        vm.showNewCode();
        assertThat(codes).hasSize(2);
        assertThat(codes.get(1)).isNotEqualTo(codes.get(0));
        assertThat(LinkCode.decode(codes.get(1)).deviceKey()).as("a new device key each time")
                .isNotEqualTo(code.deviceKey());
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.EXPIRED);
        vm.store().orElseThrow().close();
    }

    @Test
    void cancelStopsWaitingAndANewCodeReusesTheProfile() throws Exception {
        LinkViewModel vm = viewModel(Clock.systemUTC(), stepped());
        fill(vm, STRONG, relay.invite().link());
        background.remove().run(); // the computer's name, looked up in the background: a typed name stays
        assertThat(vm.nameProperty().get()).isEqualTo("laptop");
        vm.showCode(STRONG.toCharArray());
        assertThat(vm.busyProperty().get()).isTrue();
        background.remove().run(); // creates the profile and the code
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.WAITING);
        assertThat(vm.codeTextProperty().get()).startsWith("VOUCHLINK1:");
        vm.tick();
        assertThat(vm.countdownProperty().get()).matches("This code works for (9:[0-5][0-9]|10:00) more, once\\.");
        String first = vm.codeTextProperty().get();
        ProfileStore store = vm.store().orElseThrow();

        background.remove().run(); // a round of waiting: nobody yet, so the next round is queued
        assertThat(background).hasSize(1);
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.WAITING);
        vm.cancel();
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.FORM);
        assertThat(vm.codeTextProperty().get()).isEmpty();
        background.remove().run(); // the round under way ends quietly and queues no other
        assertThat(background).isEmpty();
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.FORM);
        assertThat(vm.problemProperty().get()).isEmpty();

        assertThat(vm.readyProperty().get()).as("the profile exists: no passphrase needed again").isTrue();
        vm.showNewCode();
        background.remove().run();
        assertThat(vm.store()).containsSame(store);
        assertThat(vm.codeTextProperty().get()).startsWith("VOUCHLINK1:").isNotEqualTo(first);
        vm.cancel();
        background.clear();
        store.close();
        assertThat(linked).isEmpty();
    }

    @Test
    void aRelayThatIsGoneIsSaidPlainlyAndANewCodeCanBeTried() throws Exception {
        String invite = relay.invite().link();
        relay.close();
        LinkViewModel vm = viewModel(Clock.systemUTC(), UiExecutors.synchronous());
        fill(vm, STRONG, invite);
        vm.showCode(STRONG.toCharArray());
        assertThat(vm.stepProperty().get()).isEqualTo(LinkViewModel.Step.FAILED);
        assertThat(vm.problemProperty().get()).contains("relay cannot be reached").contains("Nothing was changed");
        assertThat(vm.codeTextProperty().get()).isEmpty();
        assertThat(linked).isEmpty();
        vm.store().orElseThrow().close();
    }
}
