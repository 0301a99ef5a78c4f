package dev.vouch.store.model;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything about a message that is sealed in its row: who sent it from which device, when,
 * and its content. Content is typed so attachments can join text later.
 */
public record MessageBody(Direction direction, String senderHandle, int senderDevice, Instant sentAt,
                          Instant receivedAt, int contentType, byte[] content, byte[] messageId) {
    public static final int CONTENT_TEXT = 1;
    private static final int FORMAT = 2;
    /** Format 1 had no message id; such rows still open. */
    private static final int FORMAT_WITHOUT_ID = 1;
    private static final int MAX_MESSAGE_ID = 64;
    private static final int MAX_HANDLE = 256;
    private static final int MAX_CONTENT = 1 << 20;

    public MessageBody {
        Objects.requireNonNull(direction);
        Objects.requireNonNull(senderHandle);
        Objects.requireNonNull(sentAt);
        Objects.requireNonNull(receivedAt);
        content = content.clone();
        messageId = messageId.clone();
        if (messageId.length > MAX_MESSAGE_ID) {
            throw new IllegalArgumentException("message id longer than " + MAX_MESSAGE_ID + " bytes");
        }
    }

    /** A body without a message id (imported or synthetic history). */
    public MessageBody(Direction direction, String senderHandle, int senderDevice, Instant sentAt, Instant receivedAt,
                       int contentType, byte[] content) {
        this(direction, senderHandle, senderDevice, sentAt, receivedAt, contentType, content, new byte[0]);
    }

    /** The same body carrying the sender's message id (the one receipts and duplicates refer to). */
    public MessageBody withMessageId(byte[] id) {
        return new MessageBody(direction, senderHandle, senderDevice, sentAt, receivedAt, contentType, content, id);
    }

    public static MessageBody text(Direction direction, String senderHandle, int senderDevice, Instant sentAt,
                                   Instant receivedAt, String text) {
        return new MessageBody(direction, senderHandle, senderDevice, sentAt, receivedAt, CONTENT_TEXT,
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The sender's id of this message, empty when it has none. */
    @Override
    public byte[] messageId() {
        return messageId.clone();
    }

    /** The text of a text message, or null for other content. */
    public String text() {
        return contentType == CONTENT_TEXT ? new String(content, StandardCharsets.UTF_8) : null;
    }

    public byte[] encode() {
        byte[] handle = senderHandle.getBytes(StandardCharsets.UTF_8);
        return new ByteWriter(content.length + handle.length + 40).u8(FORMAT).u8(direction.ordinal())
                .bytes(handle).u32(senderDevice).u64(sentAt.toEpochMilli()).u64(receivedAt.toEpochMilli())
                .u8(contentType).bytes(content).bytes(messageId).toByteArray();
    }

    public static MessageBody decode(byte[] data) throws MalformedDataException {
        ByteReader r = new ByteReader(data, "message body");
        int format = r.u8();
        if (format != FORMAT && format != FORMAT_WITHOUT_ID) {
            throw new MalformedDataException("message body: unknown format");
        }
        int direction = r.u8();
        if (direction >= Direction.values().length) {
            throw new MalformedDataException("message body: unknown direction");
        }
        String handle = new String(r.bytes(MAX_HANDLE), StandardCharsets.UTF_8);
        int device = r.u32();
        Instant sent = Instant.ofEpochMilli(r.u64());
        Instant received = Instant.ofEpochMilli(r.u64());
        int type = r.u8();
        byte[] content = r.bytes(MAX_CONTENT);
        byte[] messageId = format == FORMAT ? r.bytes(MAX_MESSAGE_ID) : new byte[0];
        r.end();
        return new MessageBody(Direction.values()[direction], handle, device, sent, received, type, content, messageId);
    }

    @Override
    public String toString() {
        return "MessageBody[" + direction + ", type " + contentType + ", " + content.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageBody b && direction == b.direction && senderHandle.equals(b.senderHandle)
                && senderDevice == b.senderDevice && sentAt.equals(b.sentAt) && receivedAt.equals(b.receivedAt)
                && contentType == b.contentType && java.util.Arrays.equals(content, b.content)
                && java.util.Arrays.equals(messageId, b.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(direction, senderHandle, senderDevice, sentAt, contentType);
    }
}
