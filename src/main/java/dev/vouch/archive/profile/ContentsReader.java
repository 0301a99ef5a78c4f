package dev.vouch.archive.profile;

import static dev.vouch.archive.profile.ContentsFormat.*;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads contents records from a stream (normally an {@link dev.vouch.archive.ArchiveReader}) and
 * checks the rules of the format as it goes: the header first, private keys only in a full
 * archive, and an end record whose counts match what came before it, followed by nothing.
 */
public final class ContentsReader implements java.io.Closeable {
    private final InputStream in;
    private final byte[] recordHeader = new byte[RECORD_HEADER];
    private ArchiveItem.Header header;
    private boolean ended;
    private long records;
    private long messages;

    public ContentsReader(InputStream in) {
        this.in = in;
    }

    /** Reads the header record, which must come first. */
    public ArchiveItem.Header header() throws IOException {
        if (header == null) {
            ArchiveItem first = readRecord();
            if (!(first instanceof ArchiveItem.Header h)) {
                throw new MalformedContentsException("the first record is not the header");
            }
            header = h;
        }
        return header;
    }

    /**
     * The next record after the header, or empty once the end record has been read and checked (the
     * end record itself is not returned; {@link #records()} and {@link #messages()} give its counts).
     */
    public Optional<ArchiveItem> next() throws IOException {
        header();
        if (ended) {
            return Optional.empty();
        }
        ArchiveItem item = readRecord();
        if (item instanceof ArchiveItem.Header) {
            throw new MalformedContentsException("a second header");
        }
        if (item instanceof ArchiveItem.End end) {
            if (end.records() != records || end.messages() != messages) {
                throw new MalformedContentsException("the end record counts " + end.records() + " records and "
                        + end.messages() + " messages, but " + records + " and " + messages + " came before it");
            }
            if (in.read() != -1) {
                throw new MalformedContentsException("data after the end record");
            }
            ended = true;
            return Optional.empty();
        }
        boolean secret = item instanceof ArchiveItem.Identity || item instanceof ArchiveItem.Session
                || item instanceof ArchiveItem.PreKey;
        if (secret && header.scope() != ArchiveItem.Scope.FULL) {
            throw new MalformedContentsException("a history-only archive carries a private key");
        }
        records++;
        if (item instanceof ArchiveItem.Message) {
            messages++;
        }
        return Optional.of(item);
    }

    /** Closes the stream it reads (for an archive reader, that wipes its keys and closes the file). */
    @Override
    public void close() throws IOException {
        in.close();
    }

    public long records() {
        return records;
    }

    public long messages() {
        return messages;
    }

    private ArchiveItem readRecord() throws IOException {
        readFully(recordHeader, "a record");
        int type = recordHeader[0] & 0xff;
        long length = ((recordHeader[1] & 0xffL) << 24) | ((recordHeader[2] & 0xff) << 16)
                | ((recordHeader[3] & 0xff) << 8) | (recordHeader[4] & 0xff);
        if (length > MAX_PAYLOAD) {
            throw new MalformedContentsException("a record of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        byte[] payload = new byte[(int) length];
        readFully(payload, "record type " + type);
        try {
            ByteReader r = new ByteReader(payload, "archive record type " + type);
            ArchiveItem item = decode(type, r);
            r.end();
            return item;
        } catch (MalformedDataException e) {
            throw new MalformedContentsException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MalformedContentsException("record type " + type + ": " + e.getMessage());
        }
    }

    private ArchiveItem decode(int type, ByteReader r) throws MalformedDataException, MalformedContentsException {
        switch (type) {
            case HEADER -> {
                int version = r.u16();
                if (version != VERSION) {
                    throw new MalformedContentsException("contents version " + version + " is not " + VERSION);
                }
                int scope = r.u8();
                ArchiveItem.Scope known = null;
                for (ArchiveItem.Scope s : ArchiveItem.Scope.values()) {
                    if (s.code == scope) {
                        known = s;
                    }
                }
                if (known == null) {
                    throw new MalformedContentsException("unknown scope " + scope);
                }
                return new ArchiveItem.Header(version, known, instant(r), text(r), r.u32(), text(r));
            }
            case SETTING -> {
                return new ArchiveItem.Setting(text(r), text(r));
            }
            case IDENTITY -> {
                return new ArchiveItem.Identity(r.bytes(MAX_KEY), r.bytes(MAX_KEY));
            }
            case CONTACT -> {
                return new ArchiveItem.Contact(text(r), text(r), VerificationState.valueOf(text(r)), optional(r),
                        instant(r), optional(r));
            }
            case KEY_HISTORY -> {
                return new ArchiveItem.KeyHistory(text(r), instant(r), KeyEvent.Type.valueOf(text(r)), text(r));
            }
            case DEVICE -> {
                return new ArchiveItem.Device(text(r), r.u32(), r.bytes(MAX_KEY));
            }
            case SESSION -> {
                return new ArchiveItem.Session(text(r), r.u32(), r.bytes(MAX_PAYLOAD));
            }
            case PREKEY -> {
                return new ArchiveItem.PreKey(r.u8(), r.u32(), r.bytes(MAX_PAYLOAD));
            }
            case CONVERSATION -> {
                return new ArchiveItem.Conversation(text(r));
            }
            case MESSAGE -> {
                return new ArchiveItem.Message(text(r), r.bytes(MAX_KEY), MessageStatus.valueOf(text(r)),
                        r.bytes(MAX_PAYLOAD));
            }
            case END -> {
                return new ArchiveItem.End(r.u64(), r.u64());
            }
            default -> throw new MalformedContentsException("unknown record type " + type);
        }
    }

    private static String text(ByteReader r) throws MalformedDataException {
        return new String(r.bytes(MAX_TEXT), StandardCharsets.UTF_8);
    }

    private static Instant instant(ByteReader r) throws MalformedDataException {
        return Instant.ofEpochMilli(r.u64());
    }

    private static Optional<byte[]> optional(ByteReader r) throws MalformedDataException {
        return r.bool() ? Optional.of(r.bytes(MAX_KEY)) : Optional.empty();
    }

    private void readFully(byte[] buffer, String what) throws IOException {
        int off = 0;
        while (off < buffer.length) {
            int n = in.read(buffer, off, buffer.length - off);
            if (n < 0) {
                throw new MalformedContentsException(off == 0 && what.equals("a record")
                        ? "the contents end before their end record" : "the contents end inside " + what);
            }
            off += n;
        }
    }
}
