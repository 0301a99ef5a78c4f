package dev.vouch.store.model;

/** Delivery state of a message, as shown by its ticks. Stored in the clear (see docs/storage.md). */
public enum MessageStatus {
    /** Outgoing, kept in the store until the relay accepts it. */
    QUEUED(0),
    /** Outgoing, accepted by the relay. */
    SENT(1),
    /** Outgoing, the recipient's device confirmed receipt. */
    DELIVERED(2),
    /** Incoming, not yet seen by the user. */
    UNREAD(3),
    /** Incoming, seen. */
    READ(4),
    /** Outgoing, not encrypted yet: held until the user reviews a verified contact's key change. */
    HELD(5),
    /** Outgoing, refused for good by the relay (for example, the recipient's account is gone). */
    FAILED(6);

    private final int code;

    MessageStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static MessageStatus ofCode(int code) {
        for (MessageStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown message status " + code);
    }
}
