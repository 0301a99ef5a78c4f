package dev.vouch.service;

import dev.vouch.transparency.log.TreeHead;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vouch log status} shows: whether the relay runs a log, the newest head this client
 * verified, when it last checked consistency, how far it watched the log for its own handle, and
 * every alert.
 */
public record TransparencyStatus(boolean enabled, Optional<TreeHead> newestHead, Optional<Instant> checkedAt,
                                 long monitoredUpTo, List<TransparencyAlert> alerts) {
    public TransparencyStatus {
        alerts = List.copyOf(alerts);
    }
}
