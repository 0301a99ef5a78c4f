package dev.vouch.relay.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The short-lived provisioning mailboxes that carry a device link (docs/devices.md, "Linking"): one
 * sealed message per mailbox name, gone when fetched or after {@link #TTL}. Kept in memory only: a
 * relay restart during a link makes the new device show a new code, nothing worse. Bounded in
 * count and bytes, so unauthenticated senders cannot grow it without limit.
 */
final class ProvisioningBoxes {
    static final Duration TTL = Duration.ofMinutes(10);

    /** What {@link #put} did. */
    enum Put { STORED, FULL, NO_ROOM }

    private record Box(byte[] body, long expiresAt) {
    }

    private final Clock clock;
    private final int maxBoxes;
    private final long maxBytes;
    private final Map<String, Box> boxes = new LinkedHashMap<>();
    private long bytes;

    ProvisioningBoxes(Clock clock, int maxBoxes, long maxBytes) {
        this.clock = clock;
        this.maxBoxes = maxBoxes;
        this.maxBytes = maxBytes;
    }

    /** Stores the mailbox's one message; a mailbox that holds one keeps it ({@link Put#FULL}). */
    synchronized Put put(String mailbox, byte[] body) {
        expire();
        if (boxes.containsKey(mailbox)) {
            return Put.FULL;
        }
        if (boxes.size() >= maxBoxes || bytes + body.length > maxBytes) {
            return Put.NO_ROOM;
        }
        boxes.put(mailbox, new Box(body.clone(), clock.millis() + TTL.toMillis()));
        bytes += body.length;
        return Put.STORED;
    }

    /** The mailbox's message, removed as it is handed out. */
    synchronized Optional<byte[]> take(String mailbox) {
        expire();
        Box box = boxes.remove(mailbox);
        if (box == null) {
            return Optional.empty();
        }
        bytes -= box.body().length;
        return Optional.of(box.body());
    }

    synchronized int size() {
        expire();
        return boxes.size();
    }

    /** Boxes are kept in insertion order with one time to live, so the expired ones are at the front. */
    private void expire() {
        long now = clock.millis();
        Iterator<Box> it = boxes.values().iterator();
        while (it.hasNext()) {
            Box box = it.next();
            if (box.expiresAt() > now) {
                return;
            }
            bytes -= box.body().length;
            it.remove();
        }
    }
}
