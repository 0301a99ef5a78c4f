package dev.vouch.store.model;

import dev.vouch.store.IntegrityException;
import java.util.Optional;

/**
 * A message row as read back. A row that fails authentication is still returned, flagged with
 * its damage and without a body, so the user sees that something is wrong rather than a gap.
 */
public record StoredMessage(long id, long conversationId, MessageStatus status, MessageBody body,
                            IntegrityException damage) {
    public static StoredMessage intact(long id, long conversationId, MessageStatus status, MessageBody body) {
        return new StoredMessage(id, conversationId, status, body, null);
    }

    public static StoredMessage damaged(long id, long conversationId, MessageStatus status, IntegrityException damage) {
        return new StoredMessage(id, conversationId, status, null, damage);
    }

    public boolean isDamaged() {
        return damage != null;
    }

    public Optional<MessageBody> bodyIfIntact() {
        return Optional.ofNullable(body);
    }
}
