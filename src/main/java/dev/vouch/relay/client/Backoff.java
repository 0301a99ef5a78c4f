package dev.vouch.relay.client;

import java.time.Duration;

/**
 * Delays between reconnect attempts: exponential from {@code initial}, capped at {@code max}, with
 * "equal jitter" (a uniform draw from the upper half of the delay) so that clients dropped together
 * do not return together.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || multiplier < 1.0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and multiplier >= 1");
        }
    }

    /**
     * @param attempt 0 for the first retry after a drop
     * @param random a draw from [0, 1)
     */
    public Duration delay(int attempt, double random) {
        double ceiling = Math.min(max.toNanos(), initial.toNanos() * Math.pow(multiplier, Math.min(attempt, 64)));
        double r = Math.max(0.0, Math.min(random, 1.0));
        return Duration.ofNanos((long) (ceiling / 2 + r * ceiling / 2));
    }
}
