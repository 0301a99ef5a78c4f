package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.EmbeddedRelay;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import javafx.application.Application;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * The first run, both ways, on real windows: a profile registered with a relay from a pasted
 * invite, and a profile with a relay started inside the app ("Try it on this computer"), which
 * comes back on the next start, with the window's place and theme.
 */
class FirstRunTest extends DesktopTest {
    static final String PASSPHRASE = "violet harbour tractor quietly 71";

    private void fillPassphrase(VouchDesktop desktop, String first, String second) {
        Desktops.type(robot, Desktops.<PasswordField>find(desktop, "passphrase"), first);
        Desktops.type(robot, Desktops.<PasswordField>find(desktop, "repeat"), second);
    }

    @Test
    void createsAProfileWithAPastedInviteAndRefusesWeakPassphrasesAndBadInvites() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Path profile = dir.resolve("alice");
            VouchDesktop desktop = Desktops.open(robot, Desktops.config(profile, LocalRelays.NONE));
            Desktops.awaitScreen(desktop, Screen.ONBOARDING);
            assertThat(Desktops.<Label>find(desktop, "noRecovery").getText()).contains("Nobody can recover");
            Button create = Desktops.find(desktop, "create");

            fillPassphrase(desktop, "password1", "password1");
            Desktops.type(robot, Desktops.<TextField>find(desktop, "handle"), "alice");
            robot.interact(() -> Desktops.<TextField>find(desktop, "invite").setText(relay.invite().link()));
            assertThat(Desktops.<Label>find(desktop, "strengthLabel").getText()).isIn("Very weak", "Weak");
            assertThat(create.isDisabled()).as("a weak passphrase cannot create a profile").isTrue();

            robot.interact(() -> {
                Desktops.<PasswordField>find(desktop, "passphrase").setText(PASSPHRASE);
                Desktops.<PasswordField>find(desktop, "repeat").setText(PASSPHRASE + "x");
            });
            assertThat(create.isDisabled()).as("the two entries differ").isTrue();
            robot.interact(() -> Desktops.<PasswordField>find(desktop, "repeat").setText(PASSPHRASE));
            assertThat(Desktops.<Label>find(desktop, "strengthLabel").getText()).isIn("Strong", "Very strong");

            robot.interact(() -> Desktops.<TextField>find(desktop, "invite").setText("vouch://relay?garbage"));
            Desktops.press(robot, create);
            assertThat(Desktops.<Label>find(desktop, "onboardingProblem").getText()).contains("invite link does not work");
            assertThat(ProfileStore.exists(profile)).as("nothing is created from a bad invite").isFalse();

            robot.interact(() -> Desktops.<TextField>find(desktop, "invite").setText(relay.invite().link()));
            Desktops.press(robot, create);
            Desktops.awaitScreen(desktop, Screen.MAIN);
            assertThat(Desktops.<Label>find(desktop, "me").getText()).isEqualTo("alice");
            Desktops.await("the relay connection", () -> Desktops.<Label>find(desktop, "connection").getText()
                    .equals("Connected"));
            assertThat(ProfileStore.exists(profile)).isTrue();
        }
    }

    @Test
    void triesItOnThisComputerWithARelayInsideTheAppThatComesBackOnTheNextStart() throws Exception {
        Path profile = dir.resolve("solo");
        VouchDesktop first = Desktops.open(robot, Desktops.config(profile, new EmbeddedRelay(Clock.systemUTC())));
        Desktops.awaitScreen(first, Screen.ONBOARDING);
        fillPassphrase(first, PASSPHRASE, PASSPHRASE);
        Desktops.type(robot, Desktops.<TextField>find(first, "handle"), "solo");
        Button local = Desktops.find(first, "tryLocal");
        assertThat(Desktops.<Button>find(first, "create").isDisabled()).as("no invite pasted").isTrue();
        Desktops.press(robot, local);
        Desktops.awaitScreen(first, Screen.MAIN);
        Desktops.await("the embedded relay connection", () -> Desktops.<Label>find(first, "connection").getText()
                .equals("Connected"));
        assertThat(Files.isRegularFile(profile.resolve("local-relay").resolve("port"))).isTrue();
        Desktops.press(robot, Desktops.find(first, "copyInvite"));
        String[] copied = new String[1];
        robot.interact(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString());
        assertThat(Invite.parse(copied[0], Instant.now()).port()).as("the invite others paste names this relay")
                .isEqualTo(Integer.parseInt(Files.readString(profile.resolve("local-relay").resolve("port")).strip()));
        Desktops.focus(robot, Desktops.find(first, "search"));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.T).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(Application.getUserAgentStylesheet()).as("Ctrl+Shift+T: the dark theme").contains("dark");
        robot.interact(() -> {
            first.stage().setX(30);
            first.stage().setY(20);
            first.stage().setWidth(700);
            first.stage().setHeight(720);
        });
        robot.interact(() -> first.stage().hide());
        assertThat(Files.readString(profile.resolve("ui.properties"))).doesNotContain("solo");

        VouchDesktop again = Desktops.open(robot, Desktops.config(profile, new EmbeddedRelay(Clock.systemUTC())));
        Desktops.awaitScreen(again, Screen.UNLOCK);
        assertThat(again.stage().getX()).as("the window's place is remembered").isEqualTo(30);
        assertThat(again.stage().getWidth()).isEqualTo(700);
        assertThat(again.stage().getHeight()).isEqualTo(720);
        assertThat(Application.getUserAgentStylesheet()).as("and the theme").contains("dark");
        Desktops.type(robot, Desktops.<PasswordField>find(again, "unlockPassphrase"), PASSPHRASE);
        robot.type(javafx.scene.input.KeyCode.ENTER);
        Desktops.awaitScreen(again, Screen.MAIN);
        Desktops.await("the relay started again", () -> Desktops.<Label>find(again, "connection").getText()
                .equals("Connected"));
    }
}
