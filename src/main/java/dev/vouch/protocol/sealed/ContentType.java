package dev.vouch.protocol.sealed;

import dev.vouch.protocol.UnknownTypeException;

/**
 * What the inner bytes of a sealed envelope are. One kind today; group messages (MLS) and others
 * get new codes, never reused.
 */
public enum ContentType {
    /** A {@link dev.vouch.protocol.message.CiphertextMessage} of a one-to-one session. */
    SESSION_MESSAGE(1);

    private final int code;

    ContentType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ContentType of(int code) throws UnknownTypeException {
        for (ContentType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new UnknownTypeException("unknown sealed content type " + code);
    }
}
