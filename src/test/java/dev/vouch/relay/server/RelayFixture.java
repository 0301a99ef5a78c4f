package dev.vouch.relay.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** A real relay on loopback (ephemeral port, TLS 1.3) with a hand-moved clock and captured event lines. */
final class RelayFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    final ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
    final RelayServer relay;

    RelayFixture(Path data) throws Exception {
        this(data, Limits.DEFAULT);
    }

    RelayFixture(Path data, Limits limits) throws Exception {
        PrintStream events = new PrintStream(eventBytes, true, StandardCharsets.UTF_8);
        relay = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, limits,
                RelayEvents.lines(events, clock)));
    }

    String events() {
        synchronized (eventBytes) {
            return eventBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        relay.close();
    }
}
