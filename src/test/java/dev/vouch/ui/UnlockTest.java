package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * The lock screen on a real profile: a wrong passphrase is refused in plain words and the app
 * stays usable, the right one opens the main window, Ctrl+L locks at once, and the idle timeout
 * locks by itself, dropping the store's keys each time.
 */
class UnlockTest extends DesktopTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";

    private void unlockWith(VouchDesktop desktop, String passphrase) {
        PasswordField field = Desktops.find(desktop, "unlockPassphrase");
        Desktops.type(robot, field, passphrase);
        robot.type(KeyCode.ENTER);
    }

    @Test
    void refusesAWrongPassphraseOpensWithTheRightOneAndLocksOnTheShortcutAndWhenIdle() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Path profile = dir.resolve("alice");
            Desktops.registered(profile, "alice", PASSPHRASE, relay.invite());
            MutableClock clock = new MutableClock(Instant.now());
            VouchDesktop desktop = Desktops.open(robot, Desktops.config(profile, LocalRelays.NONE,
                    owner -> java.util.Optional.empty(), clock, Duration.ofMinutes(5)));
            Desktops.awaitScreen(desktop, Screen.UNLOCK);

            unlockWith(desktop, "lantern orchard copper seventy 5");
            Label problem = Desktops.find(desktop, "unlockProblem");
            Desktops.await("the wrong passphrase refused", () -> !problem.getText().isEmpty());
            assertThat(problem.getText()).contains("does not open this profile");
            assertThat(desktop.viewModel().screenProperty().get()).isEqualTo(Screen.UNLOCK);
            assertThat(desktop.viewModel().store().isLocked()).isTrue();
            assertThat(Desktops.<PasswordField>find(desktop, "unlockPassphrase").getText())
                    .as("the field does not keep the passphrase").isEmpty();

            unlockWith(desktop, PASSPHRASE);
            Desktops.awaitScreen(desktop, Screen.MAIN);
            assertThat(desktop.viewModel().store().isLocked()).isFalse();
            assertThat(Desktops.<Label>find(desktop, "me").getText()).isEqualTo("alice");

            Desktops.focus(robot, Desktops.find(desktop, "search"));
            robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
            Desktops.awaitScreen(desktop, Screen.UNLOCK);
            assertThat(desktop.viewModel().store().isLocked()).as("locking drops the keys").isTrue();

            unlockWith(desktop, PASSPHRASE);
            Desktops.awaitScreen(desktop, Screen.MAIN);
            clock.advance(Duration.ofMinutes(4));
            robot.sleep(1500);
            assertThat(desktop.viewModel().screenProperty().get()).as("not idle long enough").isEqualTo(Screen.MAIN);
            clock.advance(Duration.ofMinutes(2));
            Desktops.awaitScreen(desktop, Screen.UNLOCK);
            assertThat(desktop.viewModel().store().isLocked()).isTrue();
        }
    }
}
