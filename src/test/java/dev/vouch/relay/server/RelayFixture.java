package dev.vouch.relay.server;

import dev.vouch.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real relay on loopback (ephemeral port, TLS 1.3) with a hand-moved clock and captured event lines. */
final class RelayFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    final ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
    final RelayServer relay;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    RelayFixture(Path data) throws Exception {
        this(data, Limits.DEFAULT);
    }

    RelayFixture(Path data, Limits limits) throws Exception {
        this(data, limits, Optional.empty());
    }

    /** A relay misbehaving on purpose. */
    RelayFixture(Path data, Misbehavior.Mode misbehave) throws Exception {
        this(data, Limits.DEFAULT, Optional.of(misbehave));
    }

    private RelayFixture(Path data, Limits limits, Optional<Misbehavior.Mode> misbehave) throws Exception {
        PrintStream events = new PrintStream(eventBytes, true, StandardCharsets.UTF_8);
        relay = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, limits,
                RelayEvents.lines(line -> {
                    events.println(line);
                    lines.add(line);
                }, clock), misbehave));
    }

    String events() {
        synchronized (eventBytes) {
            return eventBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits for an event line containing {@code fragment}; fails after {@code timeout}. */
    String awaitEvent(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no event with " + fragment + " within " + timeout + ":\n" + events());
            }
            if (line.contains(fragment)) {
                return line;
            }
        }
    }

    @Override
    public void close() {
        relay.close();
    }
}
