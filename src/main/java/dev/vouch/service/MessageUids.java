package dev.vouch.service;

import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The store's unique ids of messages: ours by message id alone, theirs by sender and message id, so
 * a redelivered or resent message is stored once and a sender cannot collide with another's ids.
 * The store keeps only a blind index of a uid, so {@link #of} derives it again from the body (for
 * archives, whose importer deduplicates by it).
 */
public final class MessageUids {
    private static final int OUTGOING = 1;
    private static final int INCOMING = 2;
    /** For bodies without a message id (synthetic or imported history): a digest of the body. */
    private static final int DIGEST = 3;
    private static final int DIGEST_LENGTH = 16;

    private MessageUids() {
    }

    static byte[] outgoing(Content.MessageId id) {
        return outgoing(id.bytes());
    }

    static byte[] incoming(String senderHandle, Content.MessageId id) {
        return incoming(senderHandle, id.bytes());
    }

    /** The uid under which the message with {@code body} is (or would be) stored. */
    public static byte[] of(MessageBody body) {
        byte[] id = body.messageId();
        if (id.length == Content.MESSAGE_ID_LENGTH) {
            return body.direction() == Direction.OUTGOING ? outgoing(id) : incoming(body.senderHandle(), id);
        }
        byte[] digest = Sha.sha256(body.encode());
        return new ByteWriter(1 + DIGEST_LENGTH).u8(DIGEST).fixed(Arrays.copyOf(digest, DIGEST_LENGTH)).toByteArray();
    }

    private static byte[] outgoing(byte[] id) {
        return new ByteWriter(24).u8(OUTGOING).fixed(id).toByteArray();
    }

    private static byte[] incoming(String senderHandle, byte[] id) {
        return new ByteWriter(64).u8(INCOMING).bytes(senderHandle.getBytes(StandardCharsets.UTF_8)).fixed(id)
                .toByteArray();
    }
}
