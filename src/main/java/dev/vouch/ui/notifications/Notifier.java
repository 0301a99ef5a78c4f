package dev.vouch.ui.notifications;

/**
 * Shows a desktop notification. Called on the JavaFX thread and never blocks it: an implementation
 * hands slow work (the system tray, a command) to another thread. What it is given to show is
 * already decided by the person's setting ({@link MessageNotifications}); it adds nothing.
 */
public interface Notifier extends AutoCloseable {
    void show(String title, String body);

    /** Takes down whatever the notifier put on the desktop (a tray icon). */
    @Override
    default void close() {
    }
}
