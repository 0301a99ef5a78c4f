package dev.vouch.app;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.service.ServiceException;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.demo.Demos;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel;
import dev.vouch.ui.shell.VouchDesktop;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Starts the desktop app and waits until its window closes. It starts the JavaFX runtime itself
 * rather than through an {@code Application} subclass, so it works from the plain class path of
 * {@code target/vouch.jar} and takes its configuration by constructor.
 */
public final class DesktopLauncher {
    /**
     * JavaFX warns at every start that it was loaded from the class path rather than as modules: the
     * way this jar and the app image run it on purpose. Quiet while it starts (its other warnings,
     * CSS ones for instance, still show); held here so the setting is not collected.
     */
    private static final Logger JAVAFX = Logger.getLogger("javafx");

    private DesktopLauncher() {
    }

    /**
     * Runs the app on {@code profile}; returns when its window has closed. With a
     * {@code startupReport}, it is told how long the first screen took to show, and the window closes
     * then: the start-up measurement of an installed app, which has no test classes to measure it.
     */
    public static void run(Path profile, Consumer<String> startupReport) throws InterruptedException,
            ServiceException {
        EmbeddedRelay relays = new EmbeddedRelay(Clock.systemUTC());
        DesktopConfig config = DesktopConfig.defaults(profile, relays, demos());
        show(true, closed -> {
            Stage stage = new Stage();
            VouchDesktop desktop = new VouchDesktop(config);
            if (startupReport != null) {
                desktop.viewModel().screenProperty().addListener((o, was, now) -> {
                    if (now == ShellViewModel.Screen.UNLOCK || now == ShellViewModel.Screen.ONBOARDING) {
                        Platform.runLater(() -> { // after the pulse that lays the screen out
                            long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
                            startupReport.accept(now.name().toLowerCase(Locale.ROOT) + " screen shown "
                                    + (System.currentTimeMillis() - jvmStart) + " ms after the JVM started");
                            stage.close();
                        });
                    }
                });
            }
            desktop.start(stage); // stops itself when its window closes
            stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> closed.run());
        });
    }

    /**
     * Runs the demo ({@code vouch demo}); tells {@code prepared} its folder once set up, and returns
     * when its windows have closed and the folder is gone.
     */
    public static void demo(Consumer<Path> prepared) throws Exception {
        Demo demo = demos().prepare();
        prepared.accept(demo.folder());
        DesktopConfig base = DesktopConfig.defaults(demo.folder(), LocalRelays.NONE);
        try {
            // The runtime must outlive the windows: the demo's folder is deleted after they close.
            show(false, closed -> DemoWindows.open(demo, base, closed));
        } finally {
            demo.close(); // done already when the windows closed it
        }
    }

    /** The demo as the app runs it: the recommended passphrase cost, the service's defaults. */
    private static Demos demos() {
        return new LocalDemo(Clock.systemUTC(), Argon2id.Params.RECOMMENDED, Messenger.Options.defaults());
    }

    /**
     * Starts the JavaFX runtime, lets {@code open} make the windows, waits until it calls back, and
     * stops the runtime. With {@code implicitExit}, the runtime also stops when the last window closes.
     */
    private static void show(boolean implicitExit, Consumer<Runnable> open) throws InterruptedException,
            ServiceException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(implicitExit);
        Level level = JAVAFX.getLevel();
        JAVAFX.setLevel(Level.SEVERE);
        try {
            Platform.startup(() -> open.accept(closed::countDown));
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // no display (a server, an SSH session): say so in one line; the command line still works
            throw new ServiceException("cannot start the desktop app (" + e.getMessage() + "); run it in a desktop"
                    + " session, or use the command line: vouch --help");
        } finally {
            JAVAFX.setLevel(level);
        }
        closed.await();
        Platform.exit();
    }
}
