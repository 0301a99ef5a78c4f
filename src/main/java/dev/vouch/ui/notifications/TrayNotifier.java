package dev.vouch.ui.notifications;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.Image;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/** A notification from the system tray's Vouch icon ({@code java.awt.SystemTray}), shown on AWT's thread. */
final class TrayNotifier implements Notifier {
    private TrayIcon icon;

    static boolean supported() {
        try {
            return SystemTray.isSupported();
        } catch (RuntimeException | Error e) {
            return false; // no windowing system for AWT
        }
    }

    @Override
    public void show(String title, String body) {
        EventQueue.invokeLater(() -> {
            try {
                if (icon == null) {
                    icon = new TrayIcon(image(), "Vouch");
                    icon.setImageAutoSize(true);
                    SystemTray.getSystemTray().add(icon);
                }
                icon.displayMessage(title, body, TrayIcon.MessageType.NONE);
            } catch (AWTException | IOException | RuntimeException e) {
                // the tray went away: the message is in the window all the same
            }
        });
    }

    private static Image image() throws IOException {
        try (InputStream in = TrayNotifier.class.getResourceAsStream("/dev/vouch/app/icon-32.png")) {
            if (in == null) {
                throw new IOException("the Vouch icon is missing from this build");
            }
            return ImageIO.read(in);
        }
    }

    @Override
    public void close() {
        EventQueue.invokeLater(() -> {
            if (icon != null) {
                SystemTray.getSystemTray().remove(icon);
                icon = null;
            }
        });
    }
}
