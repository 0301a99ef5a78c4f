package dev.vouch.app;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.service.ServiceException;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.demo.Demos;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Starts the desktop app and waits until its window closes. It starts the JavaFX runtime itself
 * rather than through an {@code Application} subclass, so it works from the plain class path of
 * {@code target/vouch.jar} and takes its configuration by constructor.
 */
public final class DesktopLauncher {
    private DesktopLauncher() {
    }

    /** Runs the app on {@code profile}; returns when its window has closed. */
    public static void run(Path profile) throws InterruptedException, ServiceException {
        EmbeddedRelay relays = new EmbeddedRelay(Clock.systemUTC());
        DesktopConfig config = DesktopConfig.defaults(profile, relays, demos());
        show(true, closed -> {
            Stage stage = new Stage();
            VouchDesktop desktop = new VouchDesktop(config);
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
        try {
            Platform.startup(() -> open.accept(closed::countDown));
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // no display (a server, an SSH session): say so in one line; the command line still works
            throw new ServiceException("cannot start the desktop app (" + e.getMessage() + "); run it in a desktop"
                    + " session, or use the command line: vouch --help");
        }
        closed.await();
        Platform.exit();
    }
}
