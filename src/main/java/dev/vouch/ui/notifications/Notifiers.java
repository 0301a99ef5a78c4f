package dev.vouch.ui.notifications;

import java.util.concurrent.Executor;
import javafx.scene.layout.StackPane;

/** Picks how this desktop shows notifications: the system tray, else {@code notify-send}, else inside the window. */
public final class Notifiers {
    private Notifiers() {
    }

    /**
     * @param layer      the window's root, for the in-window fallback
     * @param background where a notification command runs
     */
    public static Notifier forDesktop(StackPane layer, Executor background) {
        if (TrayNotifier.supported()) {
            return new TrayNotifier();
        }
        Notifier command = CommandNotifier.notifySend(background).orElse(null);
        return command != null ? command : new ToastNotifier(layer);
    }
}
