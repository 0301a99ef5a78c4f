package dev.vouch.relay.server;

import java.time.Duration;

/**
 * The relay's limits, set explicitly (docs/relay-protocol.md, "Transport", "Mailboxes" and
 * "Rate limits"). Rate limits count in a sliding minute of the relay's clock.
 *
 * @param maxQueuedFrames frames queued for one connection before it is closed with 1008
 * @param idleTimeout a connection with no traffic for this long is closed (clients ping every 30 s)
 * @param writeTimeout a frame not written within this time drops the connection
 * @param maxBadFrames bad or oversized frames tolerated on one connection before it is closed
 * @param deliveryWindow mailbox envelopes in flight to one connection at a time
 * @param mailboxQuota per-device mailbox limits
 * @param maxPreKeysPerKind one-time prekeys of each kind one device may keep on the relay
 * @param registrationsPerMinute registrations allowed per remote address in any minute
 * @param envelopeLifetime envelopes older than this are deleted unread
 * @param sweepInterval how often expired envelopes are deleted
 * @param fetchBundlesPerMinute {@code fetchBundles} requests allowed per requesting device in any
 *     minute, so that one device cannot drain everyone's one-time prekeys quickly
 * @param lookupsPerMinute {@code lookup} requests allowed per requesting device in any minute
 * @param identifiedSendsPerMinute {@code send} requests without an access key allowed per sending
 *     device in any minute
 */
public record Limits(int maxQueuedFrames, Duration idleTimeout, Duration writeTimeout, int maxBadFrames,
                     int deliveryWindow, RelayStorage.Quota mailboxQuota, int maxPreKeysPerKind,
                     int registrationsPerMinute, Duration envelopeLifetime, Duration sweepInterval,
                     int fetchBundlesPerMinute, int lookupsPerMinute, int identifiedSendsPerMinute) {
    public static final Limits DEFAULT = new Limits(256, Duration.ofSeconds(120), Duration.ofSeconds(10), 5, 64,
            RelayStorage.Quota.DEFAULT, 1000, 10, Duration.ofDays(30), Duration.ofHours(1), 30, 120, 60);

    public Limits {
        if (maxQueuedFrames < 8 || deliveryWindow < 1 || deliveryWindow > maxQueuedFrames / 2) {
            throw new IllegalArgumentException("the delivery window must leave room in the queue for answers");
        }
        if (maxBadFrames < 1 || maxPreKeysPerKind < 1 || registrationsPerMinute < 1 || fetchBundlesPerMinute < 1
                || lookupsPerMinute < 1 || identifiedSendsPerMinute < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public Limits withMailboxQuota(RelayStorage.Quota quota) {
        return new Limits(maxQueuedFrames, idleTimeout, writeTimeout, maxBadFrames, deliveryWindow, quota,
                maxPreKeysPerKind, registrationsPerMinute, envelopeLifetime, sweepInterval, fetchBundlesPerMinute,
                lookupsPerMinute, identifiedSendsPerMinute);
    }

    public Limits withRegistrationsPerMinute(int perMinute) {
        return new Limits(maxQueuedFrames, idleTimeout, writeTimeout, maxBadFrames, deliveryWindow, mailboxQuota,
                maxPreKeysPerKind, perMinute, envelopeLifetime, sweepInterval, fetchBundlesPerMinute,
                lookupsPerMinute, identifiedSendsPerMinute);
    }

    public Limits withFetchBundlesPerMinute(int perMinute) {
        return new Limits(maxQueuedFrames, idleTimeout, writeTimeout, maxBadFrames, deliveryWindow, mailboxQuota,
                maxPreKeysPerKind, registrationsPerMinute, envelopeLifetime, sweepInterval, perMinute,
                lookupsPerMinute, identifiedSendsPerMinute);
    }

    public Limits withLookupsPerMinute(int perMinute) {
        return new Limits(maxQueuedFrames, idleTimeout, writeTimeout, maxBadFrames, deliveryWindow, mailboxQuota,
                maxPreKeysPerKind, registrationsPerMinute, envelopeLifetime, sweepInterval, fetchBundlesPerMinute,
                perMinute, identifiedSendsPerMinute);
    }

    public Limits withIdentifiedSendsPerMinute(int perMinute) {
        return new Limits(maxQueuedFrames, idleTimeout, writeTimeout, maxBadFrames, deliveryWindow, mailboxQuota,
                maxPreKeysPerKind, registrationsPerMinute, envelopeLifetime, sweepInterval, fetchBundlesPerMinute,
                lookupsPerMinute, perMinute);
    }
}
