package dev.vouch.relay.server;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
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

    /** Drops every event. */
    RelayEvents NONE = (event, fields) -> { };

    /** One line per event, {@code time=... event=NAME key=value ...}, values quoted when they hold spaces. */
    static RelayEvents lines(PrintStream out, Clock clock) {
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
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
    }
}
