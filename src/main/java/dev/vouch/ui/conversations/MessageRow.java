package dev.vouch.ui.conversations;

import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.time.Instant;

/** One message as the conversation view shows it. */
public record MessageRow(long id, boolean outgoing, String sender, String text, Instant at, MessageStatus status,
                         boolean damaged) {
    static MessageRow of(StoredMessage m) {
        if (m.isDamaged() || m.body() == null) {
            return new MessageRow(m.id(), false, "", "This message is damaged and cannot be shown.", Instant.EPOCH,
                    m.status(), true);
        }
        String text = m.body().text();
        return new MessageRow(m.id(), m.body().direction() == Direction.OUTGOING, m.body().senderHandle(),
                text != null ? text : "(a kind of message this version cannot show)", m.body().sentAt(), m.status(),
                false);
    }

    MessageRow withStatus(MessageStatus newStatus) {
        return new MessageRow(id, outgoing, sender, text, at, newStatus, damaged);
    }

    /** The delivery state in words, for outgoing messages; empty for incoming ones. */
    public String statusText() {
        if (!outgoing) {
            return "";
        }
        return switch (status) {
            case QUEUED -> "queued";
            case SENT -> "sent";
            case DELIVERED -> "delivered";
            case HELD -> "held: review their key change";
            case FAILED -> "not delivered";
            default -> "";
        };
    }
}
