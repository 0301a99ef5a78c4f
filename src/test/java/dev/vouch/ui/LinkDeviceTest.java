package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.Member;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.conversations.ConversationRow;
import dev.vouch.ui.settings.DeviceRow;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Linking a device in the app, both windows real, on a real relay over TLS on loopback: alice's
 * window (a profile with bob as a contact and messages both ways) and a fresh first run that chooses
 * "Link to an account I already use". The new window shows a code; alice pastes it in her settings,
 * sees its fingerprint and name, and links it; the new window opens on her contacts and history and
 * her list shows it. The same code again, and bob's safety code pasted as a link code, are refused
 * in plain words. Then alice unlinks it, and the new window says it was removed, and says so again
 * when unlocked later.
 */
class LinkDeviceTest extends DesktopTest {
    static final String ALICE = "copper orchard lantern eighty 5";
    static final String LAPTOP = "saffron meadow whistle ninety 4";
    static final String FROM_BOB = "the keys are with the neighbour";
    static final String TO_BOB = "thanks, I will pick them up tonight";

    private static <T extends Node> T inSettings(VouchDesktop desktop, String id) {
        Stage window = desktop.settingsWindow().orElseThrow(() -> new AssertionError("the settings are not open"));
        Node node = window.getScene().getRoot().lookup("#" + id);
        assertThat(node).as("#" + id + " in the settings").isNotNull();
        @SuppressWarnings("unchecked")
        T typed = (T) node;
        return typed;
    }

    private static List<ConversationRow> conversations(VouchDesktop desktop) {
        ListView<ConversationRow> list = Desktops.find(desktop, "conversations");
        return List.copyOf(list.getItems());
    }

    /** The texts of bob's conversation as the desktop's profile holds them. */
    private static List<String> history(VouchDesktop desktop) {
        try {
            long id = conversations(desktop).stream().filter(c -> c.peer().equals("bob")).findFirst().orElseThrow().id();
            return desktop.viewModel().store().messages().newest(id, 10).stream().map(m -> m.body().text()).toList();
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    /** Pastes the text as the new device's code in alice's link pane and checks it. */
    private void paste(VouchDesktop alice, String code) {
        TextField input = inSettings(alice, "linkCodeInput");
        robot.interact(() -> input.setText(code));
        Desktops.press(robot, inSettings(alice, "checkLinkCode"));
    }

    @Test
    void linksANewWindowToAlicesAccountThenUnlinksItAndRefusesAReplayedCodeAndASafetyCode() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
             Member bob = Member.register(dir, "bob", relay, Clock.systemUTC())) {
            Path aliceProfile = dir.resolve("alice");
            Desktops.registered(aliceProfile, "alice", ALICE, relay.invite());
            bob.online().addContact("alice");
            bob.messenger().send("alice", FROM_BOB);
            try (ProfileStore store = ProfileStore.open(aliceProfile, Clock.systemUTC())) {
                store.unlock(ALICE.toCharArray());
                try (Messenger messenger = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE)) {
                    messenger.connect();
                    messenger.addContact("bob");
                    messenger.send("bob", TO_BOB);
                }
            }

            VouchDesktop alice = Desktops.open(robot, Desktops.config(aliceProfile, LocalRelays.NONE), 0);
            Desktops.unlock(robot, alice, ALICE);
            Desktops.await("bob's message in alice's window", () -> conversations(alice).stream()
                    .anyMatch(c -> c.peer().equals("bob")), () -> conversations(alice).toString());

            // The new computer: a first run that links instead of creating an account.
            VouchDesktop laptop = Desktops.open(robot, Desktops.config(dir.resolve("laptop"), LocalRelays.NONE), 1);
            Desktops.awaitScreen(laptop, Screen.ONBOARDING);
            Desktops.press(robot, Desktops.find(laptop, "linkChoice"));
            Button show = Desktops.find(laptop, "showLinkCode");
            assertThat(show.isDisabled()).as("nothing filled in yet").isTrue();
            robot.interact(() -> {
                Desktops.<PasswordField>find(laptop, "linkPassphrase").setText(LAPTOP);
                Desktops.<PasswordField>find(laptop, "linkRepeat").setText(LAPTOP);
                Desktops.<TextField>find(laptop, "linkInvite").setText(relay.invite().link());
                Desktops.<TextField>find(laptop, "linkName").setText("laptop");
            });
            assertThat(Desktops.<Label>find(laptop, "strengthLabel").getText()).isIn("Strong", "Very strong");
            Desktops.press(robot, show);
            TextField codeText = Desktops.find(laptop, "linkCodeText");
            Desktops.await("the link code", () -> codeText.getText().startsWith("VOUCHLINK1:"),
                    () -> Desktops.problems(laptop));
            String code = codeText.getText();
            assertThat(Desktops.<javafx.scene.image.ImageView>find(laptop, "linkQr").getImage()).isNotNull();
            Desktops.await("the countdown", () -> Desktops.<Label>find(laptop, "linkCountdown").getText()
                    .matches("This code works for (9:[0-5][0-9]|10:00) more, once\\."));
            String laptopKey = Desktops.<Label>find(laptop, "linkFingerprint").getText()
                    .replaceFirst("^This device's key: ", "").replaceFirst("\\. Check.*$", "");
            assertThat(laptopKey).isNotBlank();

            // Alice takes it in her settings: the new device's key and name, then the link.
            Desktops.press(robot, Desktops.find(alice, "settingsButton"));
            Desktops.await("the settings window", () -> alice.settingsWindow().isPresent());
            ListView<DeviceRow> devices = inSettings(alice, "ownDevices");
            Desktops.await("alice's device list", () -> devices.getItems().size() == 1);
            Desktops.press(robot, inSettings(alice, "linkDevice"));
            paste(alice, code);
            Label fingerprint = inSettings(alice, "newDeviceFingerprint");
            Desktops.await("the new device's fingerprint", () -> fingerprint.isVisible()
                    && fingerprint.getText().contains(laptopKey), () -> fingerprint.getText() + " "
                    + LinkDeviceTest.<Label>inSettings(alice, "linkDeviceProblem").getText());
            assertThat(LinkDeviceTest.<TextField>inSettings(alice, "newDeviceName").getText()).isEqualTo("laptop");
            Desktops.press(robot, inSettings(alice, "confirmLink"));

            // The new window opens on alice's account with bob and the messages; alice's list shows it.
            Desktops.awaitScreen(laptop, Screen.MAIN);
            assertThat(Desktops.<Label>find(laptop, "me").getText()).isEqualTo("alice");
            Desktops.await("bob's conversation on the laptop", () -> conversations(laptop).stream()
                    .anyMatch(c -> c.peer().equals("bob")), () -> conversations(laptop).toString());
            Desktops.await("both messages in the laptop's history", () -> history(laptop).containsAll(
                    List.of(FROM_BOB, TO_BOB)), () -> history(laptop).toString());
            Desktops.await("the laptop in alice's list", () -> devices.getItems().stream()
                    .anyMatch(d -> d.name().equals("laptop") && !d.thisDevice()), () -> devices.getItems().toString());
            assertThat(devices.getItems()).hasSize(2);
            Label status = inSettings(alice, "linkStatus");
            assertThat(status.getText()).startsWith("Linked laptop.");

            // The same code again: refused, the list unchanged.
            paste(alice, code);
            Label problem = inSettings(alice, "linkDeviceProblem");
            Desktops.await("the replayed code refused", () -> problem.getText().contains("already used"),
                    problem::getText);
            assertThat(problem.getText()).contains("Nothing was changed");
            assertThat(devices.getItems()).hasSize(2);

            // Bob's safety code pasted where a link code goes: refused as the wrong kind of code.
            String bobsSafetyCode = bob.messenger().keys().qrPayload(bob.messenger().keys().require("alice")).encode();
            paste(alice, bobsSafetyCode);
            Desktops.await("the safety code refused", () -> problem.getText().contains("safety code, not a link code"),
                    problem::getText);
            assertThat(devices.getItems()).hasSize(2);

            // Alice unlinks the laptop: a warning first, then the list without it, and the laptop says so.
            robot.interact(() -> devices.getSelectionModel().select(devices.getItems().stream()
                    .filter(d -> d.name().equals("laptop")).findFirst().orElseThrow()));
            Desktops.press(robot, inSettings(alice, "unlinkDevice"));
            assertThat(LinkDeviceTest.<Label>inSettings(alice, "unlinkWarning").getText())
                    .contains("stops receiving your messages at once").contains("account key");
            Desktops.press(robot, inSettings(alice, "confirmUnlink"));
            Desktops.await("the laptop gone from alice's list", () -> devices.getItems().size() == 1,
                    () -> devices.getItems().toString());
            Label removed = Desktops.find(laptop, "removedNotice");
            Desktops.await("the laptop told it was removed", removed::isVisible,
                    () -> Desktops.<Label>find(laptop, "connection").getText());
            assertThat(removed.getText()).contains("removed from your account by another of its devices");

            // Locked and unlocked again, the removed laptop says the same instead of opening.
            robot.interact(() -> laptop.viewModel().lock());
            Desktops.awaitScreen(laptop, Screen.UNLOCK);
            Desktops.type(robot, Desktops.find(laptop, "unlockPassphrase"), LAPTOP);
            robot.type(KeyCode.ENTER);
            Label unlockProblem = Desktops.find(laptop, "unlockProblem");
            Desktops.await("the unlock screen saying the laptop was removed", () -> unlockProblem.getText()
                    .contains("removed from your account by another of its devices"), unlockProblem::getText);
            assertThat(laptop.viewModel().screenProperty().get()).isEqualTo(Screen.UNLOCK);
        }
    }
}
