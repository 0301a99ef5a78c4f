package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.notifications.ToastNotifier;
import dev.vouch.ui.settings.DeviceRow;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * The settings window on a real profile and a real relay over TLS on loopback: opened with Ctrl+,,
 * it shows the relay's pins and this account's signed device list; the auto-lock time applies at
 * once; the hold policy survives a restart; a wrong current passphrase is refused and changes
 * nothing; a new passphrase then locks and unlocks the app; and a message from someone whose
 * conversation is not open shows an in-window notification with the sender only, not the text.
 */
class SettingsTest extends DesktopTest {
    static final String PASSPHRASE = "copper orchard lantern eighty 5";
    static final String NEW_PASSPHRASE = "violet harbour kettle twelve 9";
    static final String BOB = "marble whistle harbour sixty 8";
    static final String SECRET_TEXT = "the spare key is under the blue flowerpot";

    /** A window of the app whose notifications show inside it (the fallback where the system has none). */
    private VouchDesktop open(DesktopConfig config) {
        return Desktops.open(robot, config, 0, ToastNotifier::new);
    }

    private void unlock(VouchDesktop desktop, String passphrase) {
        Desktops.type(robot, Desktops.find(desktop, "unlockPassphrase"), passphrase);
        robot.type(KeyCode.ENTER);
    }

    private static <T extends Node> T inSettings(VouchDesktop desktop, String id) {
        Stage window = desktop.settingsWindow().orElseThrow(() -> new AssertionError("the settings are not open"));
        Node node = window.getScene().getRoot().lookup("#" + id);
        assertThat(node).as("#" + id + " in the settings").isNotNull();
        @SuppressWarnings("unchecked")
        T typed = (T) node;
        return typed;
    }

    private void openSettingsWithTheKeyboard(VouchDesktop desktop) {
        Desktops.focus(robot, Desktops.find(desktop, "search"));
        robot.press(KeyCode.CONTROL).type(KeyCode.COMMA).release(KeyCode.CONTROL);
        Desktops.await("the settings window", () -> desktop.settingsWindow().isPresent());
    }

    /** Chooses the entry shown as {@code shown} with the arrow keys, as a keyboard user does. */
    private <T> void choose(ComboBox<T> box, String shown) {
        Desktops.focus(robot, box);
        int target = box.getItems().stream().map(box.getConverter()::toString).toList().indexOf(shown);
        assertThat(target).as(shown + " among the choices of " + box.getId()).isNotNegative();
        KeyCode key = target < box.getItems().indexOf(box.getValue()) ? KeyCode.UP : KeyCode.DOWN;
        for (int i = 0; i < box.getItems().size() && !shown.equals(box.getConverter().toString(box.getValue())); i++) {
            robot.type(key);
        }
        assertThat(box.getConverter().toString(box.getValue())).isEqualTo(shown);
    }

    @Test
    void showsPinsAndDevicesAppliesChoicesChangesThePassphraseAndNotifiesWithoutTheText() throws Exception {
        MutableClock relayClock = new MutableClock(Instant.now());
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), relayClock, Limits.DEFAULT)) {
            Path profile = dir.resolve("alice");
            Desktops.registered(profile, "alice", PASSPHRASE, relay.invite());
            Desktops.registered(dir.resolve("bob"), "bob", BOB, relay.invite());
            MutableClock clock = new MutableClock(Instant.now());
            DesktopConfig config = Desktops.config(profile, LocalRelays.NONE, owner -> java.util.Optional.empty(), clock,
                    Duration.ZERO);
            VouchDesktop desktop = open(config);
            Desktops.awaitScreen(desktop, Screen.UNLOCK);
            unlock(desktop, PASSPHRASE);
            Desktops.awaitScreen(desktop, Screen.MAIN);

            // Ctrl+, opens the settings: the relay's pins as in the invite, and this account's devices.
            openSettingsWithTheKeyboard(desktop);
            assertThat(fieldText(desktop, "relayPin")).isEqualTo(relay.invite().pinText());
            assertThat(fieldText(desktop, "relayLogKey"))
                    .isEqualTo(relay.invite().logKeyText().orElseThrow());
            assertThat(fieldText(desktop, "relayAddress")).endsWith(":" + relay.invite().port());
            assertThat(SettingsTest.<Label>inSettings(desktop, "relayHowToCheck").getText()).contains("vouch relay");
            ListView<DeviceRow> devices = inSettings(desktop, "ownDevices");
            Desktops.await("this account's device list", () -> devices.getItems().size() == 1);
            assertThat(devices.getItems().get(0).thisDevice()).isTrue();
            assertThat(SettingsTest.<Label>inSettings(desktop, "deviceListVersion").getText()).contains("list version 1");

            Desktops.press(robot, inSettings(desktop, "relayCopy"));
            AtomicReference<String> copied = new AtomicReference<>();
            robot.interact(() -> copied.set(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
            assertThat(copied.get()).contains(relay.invite().pinText(), relay.invite().logKeyText().orElseThrow());

            // The theme, at once.
            choose(inSettings(desktop, "themeChoice"), "Dark");
            assertThat(javafx.application.Application.getUserAgentStylesheet())
                    .isEqualTo(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet());
            choose(inSettings(desktop, "themeChoice"), "Light");
            assertThat(javafx.application.Application.getUserAgentStylesheet())
                    .isEqualTo(new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());

            // Auto-lock: one minute, at once.
            choose(inSettings(desktop, "autoLock"), "After 1 minute");
            assertThat(desktop.viewModel().idleTimeout()).isEqualTo(Duration.ofMinutes(1));

            // The hold policy, kept in the profile.
            RadioButton hold = inSettings(desktop, "holdNewDevices");
            Desktops.await("the policy read", () -> !hold.isDisabled());
            assertThat(hold.isSelected()).isFalse();
            Desktops.press(robot, hold);
            Desktops.await("the policy stored", () -> {
                try {
                    return desktop.viewModel().sessionProperty().get().messenger().keys().holdsNewDevices();
                } catch (Exception e) {
                    return false;
                }
            });

            // A wrong current passphrase: refused in words, nothing changed, the window usable.
            PasswordField current = inSettings(desktop, "currentPassphrase");
            Desktops.type(robot, current, "copper orchard lantern eighty 6");
            Desktops.type(robot, inSettings(desktop, "newPassphrase"), NEW_PASSPHRASE);
            Desktops.type(robot, inSettings(desktop, "repeatPassphrase"), NEW_PASSPHRASE);
            Desktops.press(robot, inSettings(desktop, "changePassphrase"));
            Label problem = inSettings(desktop, "passphraseProblem");
            Desktops.await("the wrong passphrase refused", () -> !problem.getText().isEmpty());
            assertThat(problem.getText()).contains("not your current passphrase").contains("Nothing was changed");
            assertThat(current.getText()).as("the fields do not keep passphrases").isEmpty();
            assertThat(current.isDisabled()).isFalse();

            Desktops.type(robot, current, PASSPHRASE);
            Desktops.type(robot, inSettings(desktop, "newPassphrase"), NEW_PASSPHRASE);
            Desktops.type(robot, inSettings(desktop, "repeatPassphrase"), NEW_PASSPHRASE);
            robot.type(KeyCode.ENTER); // Enter in the repeat field changes it
            Label status = inSettings(desktop, "passphraseStatus");
            Desktops.await("the passphrase changed", () -> status.getText().startsWith("Passphrase changed"),
                    problem::getText);

            // Typing in the settings counts as activity: the one-minute auto-lock waits.
            clock.advance(Duration.ofSeconds(50));
            Desktops.focus(robot, inSettings(desktop, "currentPassphrase"));
            robot.type(KeyCode.A);
            clock.advance(Duration.ofSeconds(50));
            robot.sleep(1500);
            assertThat(desktop.viewModel().screenProperty().get()).isEqualTo(Screen.MAIN);

            // Escape closes the settings.
            robot.type(KeyCode.ESCAPE);
            Desktops.await("the settings closed", () -> desktop.settingsWindow().isEmpty());

            // bob writes; alice has no conversation with him open: a notification with his name only.
            try (ProfileStore bobStore = ProfileStore.open(dir.resolve("bob"), Clock.systemUTC())) {
                bobStore.unlock(BOB.toCharArray());
                try (Messenger bob = Messenger.open(bobStore, Messenger.Options.defaults(), MessengerListener.NONE)) {
                    bob.connect();
                    bob.addContact("alice");
                    bob.send("alice", SECRET_TEXT);
                    Desktops.await("a notification", () -> desktop.stage().getScene().lookup("#toast") != null);
                }
            }
            Parent toast = (Parent) desktop.stage().getScene().lookup("#toast");
            String shown = String.join(" ", toast.lookupAll(".label").stream()
                    .map(n -> ((Label) n).getText()).toList());
            assertThat(shown).contains("New message from bob").doesNotContain("spare key").doesNotContain("flowerpot");

            // Lock, then only the new passphrase unlocks.
            Desktops.focus(robot, Desktops.find(desktop, "search"));
            robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
            Desktops.awaitScreen(desktop, Screen.UNLOCK);
            unlock(desktop, PASSPHRASE);
            Label unlockProblem = Desktops.find(desktop, "unlockProblem");
            Desktops.await("the old passphrase refused", () -> !unlockProblem.getText().isEmpty());
            assertThat(desktop.viewModel().screenProperty().get()).isEqualTo(Screen.UNLOCK);
            unlock(desktop, NEW_PASSPHRASE);
            Desktops.awaitScreen(desktop, Screen.MAIN);

            // The one-minute auto-lock chosen above is in force.
            clock.advance(Duration.ofSeconds(61));
            Desktops.awaitScreen(desktop, Screen.UNLOCK);

            // A restart: the auto-lock time and the hold policy are remembered.
            robot.interact(() -> desktop.stage().close());
            VouchDesktop again = open(config);
            Desktops.awaitScreen(again, Screen.UNLOCK);
            assertThat(again.viewModel().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
            unlock(again, NEW_PASSPHRASE);
            Desktops.awaitScreen(again, Screen.MAIN);
            Desktops.press(robot, Desktops.<Button>find(again, "settingsButton"));
            Desktops.await("the settings window", () -> again.settingsWindow().isPresent());
            RadioButton holdAgain = inSettings(again, "holdNewDevices");
            Desktops.await("the policy read again", () -> !holdAgain.isDisabled());
            assertThat(holdAgain.isSelected()).as("the hold policy survived the restart").isTrue();
            assertThat(SettingsTest.<ComboBox<Duration>>inSettings(again, "autoLock").getValue())
                    .isEqualTo(Duration.ofMinutes(1));
            robot.interact(() -> again.stage().close());
        }
    }

    private static String fieldText(VouchDesktop desktop, String id) {
        return SettingsTest.<TextField>inSettings(desktop, id).getText();
    }
}
