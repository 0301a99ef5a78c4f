package dev.vouch.ui.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the app remembers before the profile is unlocked: the window's size and position and the
 * theme. Kept in {@code ui.properties} next to the profile, in the clear, so it holds nothing
 * about the person (no handle, no contact, no text).
 */
public final class UiSettings {
    public static final String FILE = "ui.properties";

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

    public Theme theme() {
        return Theme.parse(values.getProperty("theme", "light"));
    }

    public void theme(Theme theme) {
        values.setProperty("theme", theme.name().toLowerCase(java.util.Locale.ROOT));
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
