package dev.vouch.relay.server;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection shares: storage, time, limits, events, and who is connected as which device. */
final class RelayCore {
    final RelayStorage storage;
    final Clock clock;
    final Limits limits;
    final RelayEvents events;
    /** Key transparency: the keys with their log proofs, tree heads and log entries. */
    final LogService transparency;
    /** Registrations per remote address. */
    final RateLimiter<String> registrations;
    /** Per requesting device: {@code fetchBundles}, {@code lookup}, and {@code send} without an access key. */
    final RateLimiter<DeviceAddress> fetches;
    final RateLimiter<DeviceAddress> lookups;
    final RateLimiter<DeviceAddress> identifiedSends;
    final ScheduledExecutorService timer;
    /** Device links in flight: sealed provisioning messages, in memory, ten minutes at most. */
    final ProvisioningBoxes provisioning;
    private final Map<DeviceAddress, RelayConnection> online = new ConcurrentHashMap<>();
    private final Set<RelayConnection> open = ConcurrentHashMap.newKeySet();

    RelayCore(RelayStorage storage, Clock clock, Limits limits, RelayEvents events, ScheduledExecutorService timer,
              LogService transparency) {
        this.storage = storage;
        this.clock = clock;
        this.limits = limits;
        this.events = events;
        this.transparency = transparency;
        this.timer = timer;
        this.provisioning = new ProvisioningBoxes(clock, 10_000, 256L * 1024 * 1024);
        this.registrations = RateLimiter.perMinute(clock, limits.registrationsPerMinute());
        this.fetches = RateLimiter.perMinute(clock, limits.fetchBundlesPerMinute());
        this.lookups = RateLimiter.perMinute(clock, limits.lookupsPerMinute());
        this.identifiedSends = RateLimiter.perMinute(clock, limits.identifiedSendsPerMinute());
    }

    void opened(RelayConnection connection) {
        open.add(connection);
    }

    void closed(RelayConnection connection) {
        open.remove(connection);
    }

    /** Drops every connection with a frame unwritten for longer than the write timeout; runs about once a second. */
    void checkWrites() {
        long now = System.nanoTime();
        open.removeIf(connection -> !connection.checkWrites(now));
    }

    /** Makes {@code connection} the one that receives {@code device}'s envelopes; an older one is closed. */
    void online(DeviceAddress device, RelayConnection connection) {
        RelayConnection previous = online.put(device, connection);
        if (previous != null && previous != connection) {
            previous.replaced();
        }
    }

    void offline(DeviceAddress device, RelayConnection connection) {
        online.remove(device, connection);
    }

    /** Tells the device's connection, if any, that its mailbox has something new. */
    void mailboxChanged(DeviceAddress device) {
        RelayConnection connection = online.get(device);
        if (connection != null) {
            connection.deliverPending();
        }
    }

    /** The device left its account's list: its connection, if any, is told and closed, and delivers nothing more. */
    void removed(DeviceAddress device) {
        RelayConnection connection = online.remove(device);
        if (connection != null) {
            connection.removedFromAccount();
        }
    }

    int onlineDevices() {
        return online.size();
    }
}
