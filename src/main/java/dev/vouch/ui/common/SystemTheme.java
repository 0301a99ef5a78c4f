package dev.vouch.ui.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the system uses a dark theme, for "follow the system" (JavaFX 21 cannot tell): the
 * desktop's own setting on Linux (GNOME's colour scheme, else a GTK theme named dark), macOS and
 * Windows. Runs a short command: call it off the JavaFX thread. Light when nothing says dark.
 */
public final class SystemTheme {
    private static final long WAIT_MILLIS = 1500;

    private SystemTheme() {
    }

    public static Theme detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return output(List.of("defaults", "read", "-g", "AppleInterfaceStyle"))
                    .filter(s -> s.toLowerCase(Locale.ROOT).contains("dark")).map(s -> Theme.DARK).orElse(Theme.LIGHT);
        }
        if (os.contains("win")) {
            return output(List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme")).filter(s -> s.contains("0x0")).map(s -> Theme.DARK).orElse(Theme.LIGHT);
        }
        String gtk = System.getenv("GTK_THEME");
        if (gtk != null && gtk.toLowerCase(Locale.ROOT).contains("dark")) {
            return Theme.DARK;
        }
        Optional<String> scheme = output(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"));
        if (scheme.isPresent()) {
            return scheme.get().contains("dark") ? Theme.DARK : Theme.LIGHT;
        }
        return output(List.of("gsettings", "get", "org.gnome.desktop.interface", "gtk-theme"))
                .filter(s -> s.toLowerCase(Locale.ROOT).contains("dark")).map(s -> Theme.DARK).orElse(Theme.LIGHT);
    }

    /** The command's standard output when it ran and succeeded within the wait, else empty. */
    static Optional<String> output(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.empty(); // not installed here
        }
        try (InputStream in = process.getInputStream()) {
            if (!process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 && !text.isEmpty() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Optional.empty();
        }
    }
}
