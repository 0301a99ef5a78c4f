package dev.vouch.ui.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * What the app remembers before the profile is unlocked: the window's size and position, the
 * theme, the auto-lock time and what notifications show. Kept in {@code ui.properties} next to the
 * profile, in the clear, so it holds nothing about the person (no handle, no contact, no text).
 */
public final class UiSettings {
    public static final String FILE = "ui.properties";
    /** A stored auto-lock time above a week is taken as damaged. */
    static final long MAX_AUTO_LOCK_MINUTES = 7 * 24 * 60;

    /** A window's place on the screen. */
    public record Geometry(double x, double y, double width, double height, boolean maximized) {
    }

    private final Path file;
    private final Properties values = new Properties();

    private UiSettings(Path file) {
        this.file = file;
    }

    public static UiSettings load(Path profileDirectory) {
        UiSettings settings = new UiSettings(profileDirectory.resolve(FILE));
        if (Files.isRegularFile(settings.file)) {
            try (InputStream in = Files.newInputStream(settings.file)) {
                settings.values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                settings.values.clear(); // a damaged file only costs the remembered window place
            }
        }
        return settings;
    }

    /** The theme to start with: the chosen one, or light when the choice is to follow the system. */
    public Theme theme() {
        return Theme.parse(values.getProperty("theme", "light"));
    }

    public void theme(Theme theme) {
        themeChoice(ThemeChoice.of(theme));
    }

    public ThemeChoice themeChoice() {
        return ThemeChoice.parse(values.getProperty("theme", "light"));
    }

    public void themeChoice(ThemeChoice choice) {
        values.setProperty("theme", choice.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Lock after this long without a key press or mouse move; zero never locks; empty when never chosen. */
    public Optional<Duration> autoLock() {
        try {
            long minutes = Long.parseLong(values.getProperty("autolock.minutes", ""));
            return minutes < 0 || minutes > MAX_AUTO_LOCK_MINUTES ? Optional.empty()
                    : Optional.of(Duration.ofMinutes(minutes));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void autoLock(Duration timeout) {
        values.setProperty("autolock.minutes", Long.toString(timeout.toMinutes()));
    }

    /** Desktop notifications for incoming messages: on unless turned off. */
    public boolean notifications() {
        return !"false".equals(values.getProperty("notifications", "true"));
    }

    public void notifications(boolean on) {
        values.setProperty("notifications", Boolean.toString(on));
    }

    /** What a notification shows; sender only unless chosen otherwise (the text stays private). */
    public NotificationContent notificationContent() {
        return NotificationContent.parse(values.getProperty("notifications.content", ""));
    }

    public void notificationContent(NotificationContent content) {
        values.setProperty("notifications.content", content.name().toLowerCase(java.util.Locale.ROOT));
    }

    public Optional<Geometry> geometry() {
        try {
            double w = Double.parseDouble(values.getProperty("window.width", ""));
            double h = Double.parseDouble(values.getProperty("window.height", ""));
            double x = Double.parseDouble(values.getProperty("window.x", ""));
            double y = Double.parseDouble(values.getProperty("window.y", ""));
            if (w < 200 || h < 200 || !Double.isFinite(x) || !Double.isFinite(y)) {
                return Optional.empty();
            }
            return Optional.of(new Geometry(x, y, w, h, Boolean.parseBoolean(values.getProperty("window.maximized"))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void geometry(Geometry g) {
        values.setProperty("window.x", Double.toString(g.x()));
        values.setProperty("window.y", Double.toString(g.y()));
        values.setProperty("window.width", Double.toString(g.width()));
        values.setProperty("window.height", Double.toString(g.height()));
        values.setProperty("window.maximized", Boolean.toString(g.maximized()));
    }

    /** Writes the file if the profile folder exists (a first run that was abandoned leaves nothing behind). */
    public void save() {
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        Path temp = file.resolveSibling(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            values.store(out, "Vouch window settings");
        } catch (IOException e) {
            return;
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
