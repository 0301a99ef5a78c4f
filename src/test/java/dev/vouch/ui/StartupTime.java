package dev.vouch.ui;

import dev.vouch.app.EmbeddedRelay;
import dev.vouch.store.ProfileStore;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel;
import dev.vouch.ui.shell.VouchDesktop;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Measures how long the app takes from the start of the JVM to a shown unlock screen, the way the
 * launcher starts it (docs/app.md has the command; run it headless with Monocle or on a desktop).
 * Not a test: a measurement, printed as one line.
 */
public final class StartupTime {
    private StartupTime() {
    }

    public static void main(String[] args) throws Exception {
        Path profile = Files.createTempDirectory("vouch-startup");
        ProfileStore.create(profile, "startup measurement passphrase".toCharArray(), Desktops.FAST_KDF,
                Clock.systemUTC()).close();
        long beforeUi = System.currentTimeMillis();
        CountDownLatch shown = new CountDownLatch(1);
        Platform.startup(() -> {
            VouchDesktop desktop = new VouchDesktop(DesktopConfig.defaults(profile, new EmbeddedRelay(Clock.systemUTC())));
            desktop.viewModel().screenProperty().addListener((o, was, now) -> {
                if (now == ShellViewModel.Screen.UNLOCK) {
                    Platform.runLater(shown::countDown); // after the pulse that lays the screen out
                }
            });
            desktop.start(new Stage());
        });
        if (!shown.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no unlock screen within a minute");
        }
        long now = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("unlock screen shown %d ms after the JVM started (%d ms after the UI was asked for)%n",
                now - jvmStart, now - beforeUi);
        Platform.exit();
        System.exit(0);
    }
}
