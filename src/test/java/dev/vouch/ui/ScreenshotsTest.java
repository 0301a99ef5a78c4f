package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.LocalDemo;
import dev.vouch.relay.server.Limits;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.Theme;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pictures of each main screen, in the light and the dark theme, taken from the real scene graph
 * (headless, software rendering) as a person would see it: first run, the link code a new device
 * shows, unlock, a conversation, the safety number panel and, further down it, the devices and key
 * history, the settings, and the demo (Alice's window and the panel, after a substituted key). Each must show something (not one flat colour), and the dark one must be
 * darker. They go to {@code target/screenshots}; the README's come from
 * {@code mvn -B test -Dtest=ScreenshotsTest -Dvouch.screenshots=docs/screenshots}.
 */
class ScreenshotsTest extends DesktopTest {
    static final String ALICE = "copper lantern orchard ninety 2";
    static final String BOB = "marble whistle harbour sixty 8";

    private final Path out = Path.of(System.getProperty("vouch.screenshots", "target/screenshots"));

    @AfterEach
    void lightAgain() {
        robot.interact(Theme.LIGHT::apply);
    }

    @Test
    void everyMainScreenInBothThemes() throws Exception {
        Files.createDirectories(out);
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            VouchDesktop fresh = Desktops.open(robot, Desktops.config(dir.resolve("new"), LocalRelays.NONE));
            robot.interact(() -> {
                fresh.stage().setWidth(1000);
                fresh.stage().setHeight(700);
            });
            Desktops.awaitScreen(fresh, Screen.ONBOARDING);
            shoot(fresh, "first-run");
            // the third way of the first run: this computer joins an account used elsewhere
            Desktops.press(robot, Desktops.find(fresh, "linkChoice"));
            robot.interact(() -> {
                Desktops.<javafx.scene.control.PasswordField>find(fresh, "linkPassphrase").setText(ALICE);
                Desktops.<javafx.scene.control.PasswordField>find(fresh, "linkRepeat").setText(ALICE);
                Desktops.<javafx.scene.control.TextField>find(fresh, "linkInvite").setText(relay.invite().link());
                Desktops.<javafx.scene.control.TextField>find(fresh, "linkName").setText("Laptop");
            });
            Desktops.press(robot, Desktops.find(fresh, "showLinkCode"));
            Desktops.await("the link code", () -> Desktops.<javafx.scene.image.ImageView>find(fresh, "linkQr")
                    .getImage() != null, () -> Desktops.problems(fresh));
            shoot(fresh, "link-code");
            robot.interact(() -> fresh.stage().close());

            Desktops.registered(dir.resolve("alice"), "alice", ALICE, relay.invite());
            Desktops.registered(dir.resolve("bob"), "bob", BOB, relay.invite());
            VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
            robot.interact(() -> {
                alice.stage().setWidth(1000); // the app's own first size
                alice.stage().setHeight(700);
            });
            Desktops.awaitScreen(alice, Screen.UNLOCK);
            shoot(alice, "unlock");
            Desktops.type(robot, Desktops.find(alice, "unlockPassphrase"), ALICE);
            robot.type(KeyCode.ENTER);
            Desktops.awaitScreen(alice, Screen.MAIN);
            Desktops.await("a connection", () -> Desktops.<Label>find(alice, "connection").getText().equals("Connected"));
            Desktops.type(robot, Desktops.find(alice, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            ToggleButton panel = Desktops.find(alice, "contactButton");
            Desktops.await("bob's conversation", () -> !panel.isDisabled());
            TextArea composer = Desktops.find(alice, "composer");
            for (String text : new String[] {"Hi Bob! Shall we compare safety numbers at lunch?",
                "I will bring my laptop, you can scan the code on my screen."}) {
                Desktops.type(robot, composer, text);
                robot.type(KeyCode.ENTER);
            }
            Desktops.await("both messages shown", () -> Desktops.<javafx.scene.control.ListView<?>>find(alice, "messages")
                    .getItems().size() == 2);
            shoot(alice, "conversation");
            Desktops.press(robot, panel);
            GridPane number = Desktops.find(alice, "safetyNumber");
            Desktops.await("the safety number", () -> number.getChildren().size() == 12);
            shoot(alice, "safety-number");
            javafx.scene.control.ScrollPane contact = Desktops.find(alice, "contactPanel");
            Desktops.await("bob's device and key history", () -> !Desktops.<javafx.scene.control.ListView<?>>find(alice,
                    "devices").getItems().isEmpty() && !Desktops.<javafx.scene.control.ListView<?>>find(alice,
                    "keyHistory").getItems().isEmpty());
            robot.interact(() -> {
                contact.applyCss();
                contact.layout();
                contact.setVvalue(contact.getVmax()); // down to the devices, the log and the key history
            });
            shoot(alice, "contact-timeline");
            Desktops.press(robot, Desktops.<javafx.scene.control.Button>find(alice, "settingsButton"));
            Desktops.await("the settings", () -> alice.settingsWindow().isPresent());
            javafx.stage.Stage settings = alice.settingsWindow().orElseThrow();
            Desktops.await("this account's devices", () -> !((javafx.scene.control.ListView<?>) settings.getScene()
                    .lookup("#ownDevices")).getItems().isEmpty());
            shoot(settings.getScene(), "settings");
        }
    }

    @Test
    void theDemoCatchingASubstitutedKey() throws Exception {
        Files.createDirectories(out);
        Demo demo = new LocalDemo(Clock.systemUTC(), Desktops.FAST_KDF, Desktops.MESSENGER).prepare();
        AtomicReference<DemoWindows> opened = new AtomicReference<>();
        robot.interact(() -> opened.set(DemoWindows.open(demo, Desktops.config(demo.folder(), LocalRelays.NONE),
                () -> { })));
        DemoWindows windows = opened.get();
        try {
            Desktops.awaitScreen(windows.alice(), Screen.MAIN);
            Desktops.await("the conversation", () -> Desktops.<javafx.scene.control.ListView<?>>find(windows.alice(),
                    "messages").getItems() != null && Desktops.<javafx.scene.control.ListView<?>>find(windows.alice(),
                    "messages").getItems().size() == LocalDemo.CONVERSATION.size());
            Desktops.press(robot, (javafx.scene.control.Button) windows.panel().getScene().lookup("#substituteKey"));
            Label notice = Desktops.find(windows.alice(), "notice");
            Desktops.await("the alert", () -> notice.getText().startsWith("Transparency alert"));
            Label status = (Label) windows.panel().getScene().lookup("#demoStatus");
            Desktops.await("the panel's sentence", () -> status.getText().startsWith("The relay now hands"));
            shoot(windows.alice().stage().getScene(), "demo-alice");
            shoot(windows.panel().getScene(), "demo-panel");
        } finally {
            robot.interact(windows::close);
        }
    }

    /** Writes the window in both themes and checks what was drawn. */
    private void shoot(VouchDesktop desktop, String name) throws Exception {
        shoot(desktop.stage().getScene(), name);
    }

    /** Writes the scene in both themes and checks what was drawn. */
    private void shoot(javafx.scene.Scene scene, String name) throws Exception {
        double[] luminance = new double[2];
        for (Theme theme : Theme.values()) {
            robot.interact(theme::apply);
            AtomicReference<WritableImage> shot = new AtomicReference<>();
            robot.interact(() -> {
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                shot.set(scene.snapshot(null));
            });
            BufferedImage image = SwingFXUtils.fromFXImage(shot.get(), null);
            Path file = out.resolve(name + "-" + theme.name().toLowerCase(java.util.Locale.ROOT) + ".png");
            assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
            double[] stats = stats(image);
            assertThat(stats[1]).as("%s shows more than one flat colour", file).isGreaterThan(100);
            luminance[theme.ordinal()] = stats[0];
        }
        assertThat(luminance[Theme.DARK.ordinal()]).as("%s: the dark theme is darker", name)
                .isLessThan(luminance[Theme.LIGHT.ordinal()]);
    }

    /** Mean luminance and its variance over the picture. */
    private static double[] stats(BufferedImage image) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return new double[] {mean, squares / n - mean * mean};
    }
}
