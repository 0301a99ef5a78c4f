package dev.vouch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where each relay setting comes from, first found wins: the command line, the environment
 * ({@code VOUCH_RELAY_PORT} ...), the configuration file ({@code --config FILE} or
 * {@code VOUCH_RELAY_CONFIG}: {@code name = value} lines, {@code #} comments), the default. The
 * names are the long options without dashes: {@code port}, {@code data}, {@code bind} ...
 */
final class RelaySettings {
    static final String CONFIG_ENVIRONMENT = "VOUCH_RELAY_CONFIG";
    static final List<String> NAMES = List.of("port", "data", "bind", "host", "invite-days", "registrations-per-minute",
            "log-format");

    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final String source;

    private RelaySettings(Map<String, String> environment, Map<String, String> file, String source) {
        this.environment = environment;
        this.file = file;
        this.source = source;
    }

    /** Reads the configuration file named by {@code config} or the environment, if any. */
    static RelaySettings load(Path config, Map<String, String> environment) {
        Path path = config != null ? config
                : Optional.ofNullable(environment.get(CONFIG_ENVIRONMENT)).map(Path::of).orElse(null);
        if (path == null) {
            return new RelaySettings(environment, Map.of(), null);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read the relay configuration " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !NAMES.contains(name)) {
                throw new UsageException(path + " line " + (i + 1) + ": expected one of " + String.join(", ", NAMES)
                        + " followed by = and a value");
            }
            if (values.put(name, line.substring(eq + 1).strip()) != null) {
                throw new UsageException(path + " line " + (i + 1) + ": " + name + " is set twice");
            }
        }
        return new RelaySettings(environment, values, path.toString());
    }

    static String variable(String name) {
        return "VOUCH_RELAY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The setting's text from the command line, the environment or the file, else empty. */
    Optional<String> text(String name, Object commandLine) {
        if (commandLine != null) {
            return Optional.of(commandLine.toString());
        }
        String fromEnvironment = environment.get(variable(name));
        if (fromEnvironment != null) {
            return Optional.of(fromEnvironment);
        }
        return Optional.ofNullable(file.get(name));
    }

    String string(String name, String commandLine, String fallback) {
        return text(name, commandLine).orElse(fallback);
    }

    int integer(String name, Integer commandLine, int fallback, int min, int max) {
        Optional<String> text = text(name, commandLine);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get().strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be " + min + ".." + max + where(name, commandLine) + ", not " + text.get());
    }

    /** Names where a bad value came from, for the error message. */
    String where(String name, Object commandLine) {
        if (commandLine != null) {
            return " (--" + name + ")";
        }
        if (environment.containsKey(variable(name))) {
            return " (" + variable(name) + ")";
        }
        return source != null && file.containsKey(name) ? " (" + source + ")" : "";
    }
}
