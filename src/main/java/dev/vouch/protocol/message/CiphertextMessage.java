package dev.vouch.protocol.message;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.encoding.Tag;

/** What travels between two devices: a ratchet message, or one wrapped with session-setup data. */
public sealed interface CiphertextMessage permits RatchetMessage, PreKeyMessage {
    byte[] serialize();

    /** Parses either kind; anything else is refused with a typed exception. */
    static CiphertextMessage decode(byte[] data) throws MalformedDataException {
        Tag tag = Tag.peek(data);
        return switch (tag) {
            case RATCHET_MESSAGE -> RatchetMessage.decode(data);
            case PREKEY_MESSAGE -> PreKeyMessage.decode(data);
            default -> throw new UnknownTypeException("not a message: " + tag);
        };
    }
}
