package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.qr.QrCodes;
import dev.vouch.qr.QrPayload;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.VerificationState;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Verifying a contact by scanning a picture of their QR code, in alice's window: the safety number
 * shows in 12 groups of 5 digits (the same digits bob's side computes), and every wrong picture
 * (not an image, a QR code that is not Vouch's, another contact's code, bob's code from an older
 * Vouch or in a newer code format, a code whose fingerprint differs) is explained without changing anything, before bob's real code marks him verified.
 */
class VerifyTest extends DesktopTest {
    static final String ALICE = "copper lantern orchard ninety 2";
    static final String OTHER = "marble whistle harbour sixty 8";

    /** What {@code handle}'s own Vouch shows alice: the code to scan, the digits, and its code as an older Vouch made it. */
    private record Shown(QrPayload code, String digits, QrPayload olderVersion) {
    }

    private Shown codeFor(Path profile, String handle) throws Exception {
        try (ProfileStore store = ProfileStore.open(profile, Clock.systemUTC())) {
            store.unlock(OTHER.toCharArray());
            try (Messenger messenger = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE)) {
                messenger.connect();
                messenger.addContact("alice");
                var contact = messenger.keys().require("alice");
                var number = messenger.keys().safetyNumber(contact);
                return new Shown(messenger.keys().qrPayload(contact), number.displayable(),
                        new QrPayload(handle, number.scannable(1).toByteArray()));
            }
        }
    }

    private static Path png(Path file, String text) throws Exception {
        ImageIO.write(QrCodes.encode(text), "png", file.toFile());
        return file;
    }

    @Test
    void scanningBobsCodeVerifiesHimAndEveryWrongPictureIsExplained() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", ALICE, relay.invite());
            Desktops.registered(dir.resolve("bob"), "bob", OTHER, relay.invite());
            Desktops.registered(dir.resolve("carol"), "carol", OTHER, relay.invite());
            Shown bob = codeFor(dir.resolve("bob"), "bob");
            Shown carol = codeFor(dir.resolve("carol"), "carol");

            Path notAnImage = Files.writeString(dir.resolve("notes.png"), "this is text, not a picture");
            Path website = png(dir.resolve("website.png"), "https://example.org/menu");
            Path carols = png(dir.resolve("carol.png"), carol.code().encode());
            Path forged = png(dir.resolve("forged.png"), new QrPayload("bob", carol.code().fingerprint()).encode());
            Path older = png(dir.resolve("older.png"), bob.olderVersion().encode());
            Path newerFormat = png(dir.resolve("newer.png"), "VOUCH2:" + bob.code().encode().substring("VOUCH1:".length()));
            Path bobs = png(dir.resolve("bob.png"), bob.code().encode());
            Deque<Path> picks = new ArrayDeque<>(List.of(notAnImage, website, carols, older, newerFormat, forged, bobs));

            VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE,
                    owner -> Optional.ofNullable(picks.poll()), Clock.systemUTC(), Duration.ZERO));
            Desktops.unlock(robot, alice, ALICE);
            Desktops.await("a connection", () -> Desktops.<Label>find(alice, "connection").getText().equals("Connected"));
            Desktops.type(robot, Desktops.find(alice, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            ToggleButton panel = Desktops.find(alice, "contactButton");
            Desktops.await("bob's conversation", () -> !panel.isDisabled());
            Desktops.press(robot, panel);

            GridPane number = Desktops.find(alice, "safetyNumber");
            Desktops.await("the safety number", () -> number.getChildren().size() == 12);
            List<String> groups = number.getChildren().stream().map(n -> ((Label) n).getText()).toList();
            assertThat(groups).allSatisfy(g -> assertThat(g).matches("\\d{5}"));
            assertThat(String.join("", groups)).as("both sides show the same digits").isEqualTo(bob.digits());
            assertThat(Desktops.<javafx.scene.image.ImageView>find(alice, "qr").getImage()).isNotNull();
            // No camera on this machine: the panel says why (none attached, or the library cannot load here).
            Label cameraNote = Desktops.find(alice, "cameraNote");
            Desktops.await("why there is no camera", () -> cameraNote.getText().startsWith("No camera found")
                    || cameraNote.getText().startsWith("The camera library could not load on this system: "));
            assertThat(Desktops.<Button>find(alice, "scanCamera").isDisabled()).isTrue();
            Desktops.await("bob's device", () -> Desktops.<ListView<String>>find(alice, "devices").getItems().stream()
                    .anyMatch(d -> d.contains("(device 1)  key ") && d.endsWith("current")));
            assertThat(Desktops.<Label>find(alice, "transparency").getText()).contains("bob's key").contains("log");

            Label outcome = Desktops.find(alice, "outcome");
            Button scan = Desktops.find(alice, "scanFile");
            expect(scan, outcome, "is not a picture Vouch can read");
            expect(scan, outcome, "is not a Vouch verification code");
            expect(scan, outcome, "That is carol's code, not bob's");
            expect(scan, outcome, "That code comes from a different version of Vouch and cannot be compared");
            expect(scan, outcome, "That Vouch code is in format 2, and this Vouch reads format 1");
            expect(scan, outcome, "do not match");
            assertThat(outcome.getStyleClass()).contains("danger");
            assertThat(Desktops.<Label>find(alice, "verification").getText()).startsWith("Not verified");

            // The clipboard: a picture that is not a code first, then bob's code as a file.
            robot.interact(() -> {
                ClipboardContent content = new ClipboardContent();
                content.putFiles(List.of(website.toFile()));
                javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
            });
            Desktops.press(robot, Desktops.find(alice, "pasteCode"));
            Desktops.await("the pasted picture read", () -> outcome.getText().contains("is not a Vouch verification code"));

            expect(scan, outcome, "Verified. The safety numbers match");
            assertThat(outcome.getStyleClass()).contains("success");
            Desktops.await("bob shown verified", () -> Desktops.<Label>find(alice, "verification").getText()
                    .startsWith("Verified"));
            ListView<String> history = Desktops.find(alice, "keyHistory");
            Desktops.await("the verification in the key history", () -> history.getItems().stream()
                    .anyMatch(line -> line.contains("Verified: QR code scanned")));
            assertThat(picks).isEmpty();
            robot.interact(() -> alice.stage().hide());
        }
        try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
            store.unlock(ALICE.toCharArray());
            assertThat(store.contacts().find("bob").orElseThrow().verification()).isEqualTo(VerificationState.VERIFIED);
        }
    }

    private void expect(Button scan, Label outcome, String text) {
        Desktops.press(robot, scan);
        Desktops.await("\"" + text + "\"", () -> outcome.getText().contains(text));
    }

}
