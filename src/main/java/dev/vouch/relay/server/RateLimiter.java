package dev.vouch.relay.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perWindow} attempts per key (a remote address, a device) in any sliding
 * {@code window} of the injected clock.
 */
final class RateLimiter<K> {
    private static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final int perWindow;
    private final Duration window;
    private final Map<K, Deque<Instant>> attempts = new HashMap<>();

    RateLimiter(Clock clock, int perWindow, Duration window) {
        if (perWindow < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit allows at least one attempt in a positive window");
        }
        this.clock = clock;
        this.perWindow = perWindow;
        this.window = window;
    }

    /** One attempt per minute and key at most {@code perMinute} times. */
    static <K> RateLimiter<K> perMinute(Clock clock, int perMinute) {
        return new RateLimiter<>(clock, perMinute, Duration.ofMinutes(1));
    }

    /** Counts an attempt for {@code key}; false when it is over the limit (and then it is not counted). */
    synchronized boolean tryAcquire(K key) {
        Instant now = clock.instant();
        Instant horizon = now.minus(window);
        if (attempts.size() > SWEEP_ABOVE) {
            attempts.values().removeIf(q -> q.isEmpty() || !q.peekLast().isAfter(horizon));
        }
        Deque<Instant> recent = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
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
