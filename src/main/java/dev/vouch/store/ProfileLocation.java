package dev.vouch.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where a profile lives: {@code --profile DIR} if given, else {@code VOUCH_PROFILE}, else the
 * operating system's folder for application data (XDG on Linux, Application Support on macOS,
 * APPDATA on Windows).
 */
public final class ProfileLocation {
    public static final String ENVIRONMENT_VARIABLE = "VOUCH_PROFILE";

    private ProfileLocation() {
    }

    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home", "."));
    }

    static Path resolve(Path explicit, Map<String, String> env, String osName, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String fromEnv = env.get(ENVIRONMENT_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        return defaultFor(env, osName, userHome);
    }

    static Path defaultFor(Map<String, String> env, String osName, String userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : Path.of(userHome, "AppData", "Roaming");
            return base.resolve("Vouch");
        }
        if (os.startsWith("mac")) {
            return Path.of(userHome, "Library", "Application Support", "Vouch");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".local", "share");
        return base.resolve("vouch");
    }
}
