package dev.vouch.service;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.transparency.log.SignedTreeHead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What travels inside a session message: the sender's message id (for exactly-once storage and
 * receipts), its time, the sender's profile key (so the recipient can send back sealed) and a
 * typed body. Versioned and tag-prefixed so later issues add kinds without breaking old clients.
 */
public sealed interface Content permits Content.Text, Content.Receipt, Content.Sent, Content.Read {
    int VERSION = 1;
    int MESSAGE_ID_LENGTH = 16;
    /** Text beyond this is refused before encryption (the padded session message allows 1 MiB). */
    int MAX_TEXT_BYTES = 256 * 1024;
    int MAX_RECEIPTS = 1024;
    /** The most received messages one {@link Read} marks read. */
    int MAX_READ_MARKS = 1024;

    MessageId messageId();

    Instant sentAt();

    ProfileKey profileKey();

    /** The sender's newest verified tree head of the relay's log, for gossip (docs/transparency.md, "Gossip"). */
    Optional<SignedTreeHead> treeHead();

    /** A message id: 16 random bytes chosen by the sender. */
    record MessageId(byte[] bytes) {
        public MessageId {
            if (bytes.length != MESSAGE_ID_LENGTH) {
                throw new IllegalArgumentException("a message id has " + MESSAGE_ID_LENGTH + " bytes");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageId m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    record Text(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                String text) implements Content {
        public Text(MessageId messageId, Instant sentAt, ProfileKey profileKey, String text) {
            this(messageId, sentAt, profileKey, Optional.empty(), text);
        }

        public Text {
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("text longer than " + MAX_TEXT_BYTES + " bytes");
            }
        }

        @Override
        public String toString() {
            return "Text[" + messageId + ", " + text.length() + " chars]";
        }
    }

    /** Confirms that the listed messages reached the recipient's device and were stored there. */
    record Receipt(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                   List<MessageId> delivered) implements Content {
        public Receipt(MessageId messageId, Instant sentAt, ProfileKey profileKey, List<MessageId> delivered) {
            this(messageId, sentAt, profileKey, Optional.empty(), delivered);
        }

        public Receipt {
            delivered = List.copyOf(delivered);
            if (delivered.isEmpty() || delivered.size() > MAX_RECEIPTS) {
                throw new IllegalArgumentException("a receipt confirms 1 to " + MAX_RECEIPTS + " messages");
            }
        }
    }

    /**
     * A text this account sent from one of its devices, copied to its other devices (sent-message
     * sync, docs/devices.md): who it went to, and the text. Only accepted from this account's own
     * devices.
     */
    record Sent(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                String recipient, String text) implements Content {
        public Sent {
            int handle = recipient.getBytes(StandardCharsets.UTF_8).length;
            if (handle < 1 || handle > MAX_HANDLE_BYTES) {
                throw new IllegalArgumentException("a recipient handle is 1.." + MAX_HANDLE_BYTES + " bytes");
            }
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("text longer than " + MAX_TEXT_BYTES + " bytes");
            }
        }

        @Override
        public String toString() {
            return "Sent[" + messageId + ", " + text.length() + " chars]";
        }
    }

    /** A received message, named as every device of the account stores it: its sender and its id. */
    record ReadMark(String sender, MessageId messageId) {
        public ReadMark {
            int handle = sender.getBytes(StandardCharsets.UTF_8).length;
            if (handle < 1 || handle > MAX_HANDLE_BYTES) {
                throw new IllegalArgumentException("a sender handle is 1.." + MAX_HANDLE_BYTES + " bytes");
            }
        }
    }

    /**
     * Received messages this account read on one of its devices, told to its other devices (read
     * state sync, docs/devices.md) so that they show them read too. Only accepted from this
     * account's own devices.
     */
    record Read(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                List<ReadMark> read) implements Content {
        public Read {
            read = List.copyOf(read);
            if (read.isEmpty() || read.size() > MAX_READ_MARKS) {
                throw new IllegalArgumentException("a read state marks 1 to " + MAX_READ_MARKS + " messages");
            }
        }
    }

    /** The longest handle a {@link Sent} or a {@link ReadMark} names. */
    int MAX_HANDLE_BYTES = 64;

    default byte[] encode() {
        int kind = this instanceof Text ? Kind.TEXT.code : this instanceof Sent ? Kind.SENT.code
                : this instanceof Read ? Kind.READ.code : Kind.RECEIPT.code;
        ByteWriter w = new ByteWriter(128).u8(VERSION).u8(kind)
                .fixed(messageId().bytes()).u64(sentAt().toEpochMilli()).fixed(profileKey().bytes())
                .bool(treeHead().isPresent());
        treeHead().ifPresent(head -> w.fixed(head.serialize()));
        if (this instanceof Text t) {
            w.bytes(t.text().getBytes(StandardCharsets.UTF_8));
        } else if (this instanceof Sent sent) {
            byte[] recipient = sent.recipient().getBytes(StandardCharsets.UTF_8);
            w.u8(recipient.length).fixed(recipient).bytes(sent.text().getBytes(StandardCharsets.UTF_8));
        } else if (this instanceof Receipt r) {
            w.u32(r.delivered().size());
            r.delivered().forEach(id -> w.fixed(id.bytes()));
        } else if (this instanceof Read read) {
            w.u32(read.read().size());
            for (ReadMark mark : read.read()) {
                byte[] sender = mark.sender().getBytes(StandardCharsets.UTF_8);
                w.u8(sender.length).fixed(sender).fixed(mark.messageId().bytes());
            }
        }
        return w.toByteArray();
    }

    /**
     * @throws UnknownTypeException a version or kind this client does not know (a newer sender)
     * @throws MalformedDataException anything else that does not parse
     */
    static Content decode(byte[] data) throws MalformedDataException {
        ByteReader r = new ByteReader(data, "message content");
        int version = r.u8();
        if (version != VERSION) {
            throw new UnknownTypeException("message content version " + version + " is not known here");
        }
        int kind = r.u8();
        MessageId id = new MessageId(r.fixed(MESSAGE_ID_LENGTH));
        Instant sentAt = Instant.ofEpochMilli(r.u64());
        ProfileKey profileKey = new ProfileKey(r.fixed(ProfileKey.LENGTH));
        Optional<SignedTreeHead> treeHead = r.bool()
                ? Optional.of(SignedTreeHead.decode(r.fixed(SignedTreeHead.ENCODED_LENGTH))) : Optional.empty();
        Content content;
        if (kind == Kind.TEXT.code) {
            byte[] text = r.bytes(MAX_TEXT_BYTES);
            content = new Text(id, sentAt, profileKey, treeHead, utf8(text));
        } else if (kind == Kind.SENT.code) {
            String recipient = handle(r, "recipient");
            content = new Sent(id, sentAt, profileKey, treeHead, recipient, utf8(r.bytes(MAX_TEXT_BYTES)));
        } else if (kind == Kind.RECEIPT.code) {
            int count = r.u32(1, MAX_RECEIPTS);
            List<MessageId> delivered = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                delivered.add(new MessageId(r.fixed(MESSAGE_ID_LENGTH)));
            }
            content = new Receipt(id, sentAt, profileKey, treeHead, delivered);
        } else if (kind == Kind.READ.code) {
            int count = r.u32(1, MAX_READ_MARKS);
            List<ReadMark> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String sender = handle(r, "sender");
                read.add(new ReadMark(sender, new MessageId(r.fixed(MESSAGE_ID_LENGTH))));
            }
            content = new Read(id, sentAt, profileKey, treeHead, read);
        } else {
            throw new UnknownTypeException("message content kind " + kind + " is not known here");
        }
        r.end();
        return content;
    }

    /** A length-prefixed handle of 1..{@link #MAX_HANDLE_BYTES} bytes of UTF-8. */
    private static String handle(ByteReader r, String what) throws MalformedDataException {
        int length = r.u8();
        if (length < 1 || length > MAX_HANDLE_BYTES) {
            throw new MalformedDataException("message content: " + what + " handle length " + length);
        }
        return utf8(r.fixed(length));
    }

    private static String utf8(byte[] bytes) throws MalformedDataException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedDataException("message content: text is not UTF-8");
        }
    }

    /** Wire codes of the kinds; never reused. */
    enum Kind {
        TEXT(1),
        RECEIPT(2),
        SENT(3),
        READ(4);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }
}
