package dev.vouch.relay.server;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Where the relay reports what happens: one event per call, a name and a few fields. Callers never
 * pass envelope contents, keys, signatures or access keys; handles and addresses are left out too,
 * so the log holds no more metadata than the database (docs/relay.md).
 */
@FunctionalInterface
public interface RelayEvents {
    void emit(String event, Map<String, ?> fields);

    default void emit(String event) {
        emit(event, Map.of());
    }

    /** Fields in the order given: {@code fields("code", 1008, "reason", "...")}. */
    static Map<String, Object> fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in key, value pairs");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** Drops every event. */
    RelayEvents NONE = (event, fields) -> { };

    /** One line per event, {@code time=... event=NAME key=value ...}, values quoted when they hold spaces. */
    static RelayEvents lines(PrintStream out, Clock clock) {
        return lines(line -> {
            out.println(line);
            out.flush();
        }, clock);
    }

    /**
     * One JSON object per event handed to {@code println}, one call at a time, for log shippers:
     * {@code {"time":"...","event":"NAME","key":"value",...}}, every value a string.
     */
    static RelayEvents json(Consumer<String> println, Clock clock) {
        Object lock = new Object();
        return (event, fields) -> {
            StringBuilder line = new StringBuilder(128).append('{');
            jsonField(line, "time", clock.instant().toString());
            line.append(',');
            jsonField(line, "event", event);
            fields.forEach((key, value) -> {
                line.append(',');
                jsonField(line, key, String.valueOf(value));
            });
            line.append('}');
            synchronized (lock) {
                println.accept(line.toString());
            }
        };
    }

    private static void jsonField(StringBuilder out, String key, String value) {
        jsonString(out, key);
        out.append(':');
        jsonString(out, value);
    }

    private static void jsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** One line per event handed to {@code println}, one call at a time. */
    static RelayEvents lines(Consumer<String> println, Clock clock) {
        Object lock = new Object();
        Pattern plain = Pattern.compile("[A-Za-z0-9._:/@+=,\\-\\[\\]]*");
        return (event, fields) -> {
            StringBuilder line = new StringBuilder(96).append("time=").append(clock.instant()).append(" event=")
                    .append(event);
            fields.forEach((key, value) -> {
                String text = String.valueOf(value);
                line.append(' ').append(key).append('=');
                if (plain.matcher(text).matches() && !text.isEmpty()) {
                    line.append(text);
                } else {
                    line.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\n", "\\n").replace("\r", "\\r")).append('"');
                }
            });
            synchronized (lock) {
                println.accept(line.toString());
            }
        };
    }
}
