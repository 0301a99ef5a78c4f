package dev.vouch.app;

import dev.vouch.service.ServiceException;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
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
        CountDownLatch closed = new CountDownLatch(1);
        EmbeddedRelay relays = new EmbeddedRelay(Clock.systemUTC());
        Platform.setImplicitExit(true);
        try {
            Platform.startup(() -> {
                Stage stage = new Stage();
                VouchDesktop desktop = new VouchDesktop(DesktopConfig.defaults(profile, relays));
                desktop.start(stage); // stops itself when its window closes
                stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> closed.countDown());
            });
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // no display (a server, an SSH session): say so in one line; the command line still works
            throw new ServiceException("cannot start the desktop app (" + e.getMessage() + "); run it in a desktop"
                    + " session, or use the command line: vouch --help");
        }
        closed.await();
        Platform.exit();
    }
}
