package dev.vouch.relay.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** At most {@code perWindow} registrations per remote address in any sliding {@code window}. */
final class RegistrationLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final int perWindow;
    private final Duration window;
    private final Map<String, Deque<Instant>> attempts = new HashMap<>();

    RegistrationLimiter(Clock clock, int perWindow, Duration window) {
        this.clock = clock;
        this.perWindow = perWindow;
        this.window = window;
    }

    /** Counts an attempt from {@code address}; false when it is over the limit (and then it is not counted). */
    synchronized boolean tryAcquire(String address) {
        Instant now = clock.instant();
        Instant horizon = now.minus(window);
        if (attempts.size() > SWEEP_ABOVE) {
            attempts.values().removeIf(q -> q.isEmpty() || !q.peekLast().isAfter(horizon));
        }
        Deque<Instant> recent = attempts.computeIfAbsent(address, a -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
            recent.pollFirst();
        }
        if (recent.size() >= perWindow) {
            return false;
        }
        recent.addLast(now);
        return true;
    }
}
