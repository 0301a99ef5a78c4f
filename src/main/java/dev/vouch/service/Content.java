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
public sealed interface Content permits Content.Text, Content.Receipt, Content.Sent, Content.StateSync {
    int VERSION = 1;
    int MESSAGE_ID_LENGTH = 16;
    /** Text beyond this is refused before encryption (the padded session message allows 1 MiB). */
    int MAX_TEXT_BYTES = 256 * 1024;
    int MAX_RECEIPTS = 1024;
    /** The most messages one {@link StateSync} names. */
    int MAX_MARKS = 1024;

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

    /**
     * A message named as every device of the account stores it: the other party of its conversation
     * (the sender of a received message, the recipient of a sent one) and its id.
     */
    record Mark(String peer, MessageId messageId) {
        public Mark {
            int handle = peer.getBytes(StandardCharsets.UTF_8).length;
            if (handle < 1 || handle > MAX_HANDLE_BYTES) {
                throw new IllegalArgumentException("a handle is 1.." + MAX_HANDLE_BYTES + " bytes");
            }
        }
    }

    /**
     * A change of state of messages, told by one device of the account to its other devices (docs/devices.md,
     * "Read and delivery state") so that they show it too. Only accepted from this account's own devices.
     */
    sealed interface StateSync extends Content permits Read, Delivered {
        List<Mark> marks();

        static List<Mark> checked(List<Mark> marks) {
            List<Mark> copy = List.copyOf(marks);
            if (copy.isEmpty() || copy.size() > MAX_MARKS) {
                throw new IllegalArgumentException("a state sync names 1 to " + MAX_MARKS + " messages");
            }
            return copy;
        }
    }

    /** Received messages this account read on one of its devices. */
    record Read(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                List<Mark> marks) implements StateSync {
        public Read {
            marks = StateSync.checked(marks);
        }
    }

    /** Messages this account sent that their recipient confirmed delivered to the device that sent them. */
    record Delivered(MessageId messageId, Instant sentAt, ProfileKey profileKey, Optional<SignedTreeHead> treeHead,
                     List<Mark> marks) implements StateSync {
        public Delivered {
            marks = StateSync.checked(marks);
        }
    }

    /** The longest handle a {@link Sent} or a {@link Mark} names. */
    int MAX_HANDLE_BYTES = 64;

    default byte[] encode() {
        int kind = this instanceof Text ? Kind.TEXT.code : this instanceof Sent ? Kind.SENT.code
                : this instanceof Read ? Kind.READ.code : this instanceof Delivered ? Kind.DELIVERED.code
                : Kind.RECEIPT.code;
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
        } else if (this instanceof StateSync sync) {
            w.u32(sync.marks().size());
            for (Mark mark : sync.marks()) {
                byte[] peer = mark.peer().getBytes(StandardCharsets.UTF_8);
                w.u8(peer.length).fixed(peer).fixed(mark.messageId().bytes());
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
        } else if (kind == Kind.READ.code || kind == Kind.DELIVERED.code) {
            int count = r.u32(1, MAX_MARKS);
            List<Mark> marks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String peer = handle(r, "peer");
                marks.add(new Mark(peer, new MessageId(r.fixed(MESSAGE_ID_LENGTH))));
            }
            content = kind == Kind.READ.code ? new Read(id, sentAt, profileKey, treeHead, marks)
                    : new Delivered(id, sentAt, profileKey, treeHead, marks);
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
        READ(4),
        DELIVERED(5);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }
}
