package dev.vouch.service;

import dev.vouch.protocol.encoding.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * The store's unique ids of messages: ours by message id alone, theirs by sender and message id, so
 * a redelivered or resent message is stored once and a sender cannot collide with another's ids.
 */
final class MessageUids {
    private static final int OUTGOING = 1;
    private static final int INCOMING = 2;

    private MessageUids() {
    }

    static byte[] outgoing(Content.MessageId id) {
        return new ByteWriter(24).u8(OUTGOING).fixed(id.bytes()).toByteArray();
    }

    static byte[] incoming(String senderHandle, Content.MessageId id) {
        return new ByteWriter(64).u8(INCOMING).bytes(senderHandle.getBytes(StandardCharsets.UTF_8)).fixed(id.bytes())
                .toByteArray();
    }
}
