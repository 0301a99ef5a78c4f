package dev.vouch.archive.profile;

import static dev.vouch.archive.profile.ContentsFormat.*;

import dev.vouch.protocol.encoding.ByteWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Writes contents records to a stream (normally an {@link dev.vouch.archive.ArchiveWriter}).
 * Counts what it writes so that {@link #end()} can close the contents with the totals.
 */
public final class ContentsWriter {
    private final OutputStream out;
    private boolean started;
    private boolean ended;
    private long records;
    private long messages;

    public ContentsWriter(OutputStream out) {
        this.out = out;
    }

    public void write(ArchiveItem item) throws IOException {
        if (ended) {
            throw new IllegalStateException("the contents have ended");
        }
        if (started == item instanceof ArchiveItem.Header) {
            throw new IllegalStateException(started ? "a second header" : "the first record must be the header");
        }
        if (item instanceof ArchiveItem.End) {
            throw new IllegalStateException("end() closes the contents");
        }
        emit(item);
        if (started) {
            records++;
            if (item instanceof ArchiveItem.Message) {
                messages++;
            }
        }
        started = true;
    }

    /** Writes the {@link ArchiveItem.End} record; the caller then closes the stream. */
    public ArchiveItem.End end() throws IOException {
        if (!started || ended) {
            throw new IllegalStateException(started ? "the contents have ended" : "nothing was written");
        }
        ArchiveItem.End end = new ArchiveItem.End(records, messages);
        emit(end);
        ended = true;
        return end;
    }

    private void emit(ArchiveItem item) throws IOException {
        ByteWriter w = new ByteWriter(128);
        int type;
        if (item instanceof ArchiveItem.Header h) {
            w.u16(h.contentsVersion()).u8(h.scope().code).u64(h.createdAt().toEpochMilli());
            text(w, h.handle()).u32(h.deviceId());
            text(w, h.producer());
            type = HEADER;
        } else if (item instanceof ArchiveItem.Setting s) {
            text(text(w, s.name()), s.value());
            type = SETTING;
        } else if (item instanceof ArchiveItem.Identity i) {
            w.bytes(i.accountIdentity()).bytes(i.deviceIdentity());
            type = IDENTITY;
        } else if (item instanceof ArchiveItem.Contact c) {
            text(text(w, c.handle()), c.displayName());
            text(w, c.verification().name());
            optional(w, c.accountKey()).u64(c.addedAt().toEpochMilli());
            optional(w, c.profileKey());
            type = CONTACT;
        } else if (item instanceof ArchiveItem.KeyHistory k) {
            text(w, k.handle()).u64(k.at().toEpochMilli());
            text(text(w, k.type().name()), k.detail());
            type = KEY_HISTORY;
        } else if (item instanceof ArchiveItem.Device d) {
            text(w, d.handle()).u32(d.deviceId()).bytes(d.identityKey());
            type = DEVICE;
        } else if (item instanceof ArchiveItem.Session s) {
            text(w, s.handle()).u32(s.deviceId()).bytes(s.record());
            type = SESSION;
        } else if (item instanceof ArchiveItem.PreKey p) {
            w.u8(p.kind()).u32(p.keyId()).bytes(p.record());
            type = PREKEY;
        } else if (item instanceof ArchiveItem.Conversation c) {
            text(w, c.peer());
            type = CONVERSATION;
        } else if (item instanceof ArchiveItem.Message m) {
            text(w, m.peer()).bytes(m.uid());
            text(w, m.status().name()).bytes(m.body());
            type = MESSAGE;
        } else if (item instanceof ArchiveItem.End e) {
            w.u64(e.records()).u64(e.messages());
            type = END;
        } else {
            throw new IllegalArgumentException("unknown archive item " + item.getClass());
        }
        byte[] payload = w.toByteArray();
        if (payload.length > MAX_PAYLOAD) {
            throw new IOException("archive record of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        out.write(new ByteWriter(RECORD_HEADER).u8(type).u32(payload.length).toByteArray());
        out.write(payload);
    }

    private static ByteWriter text(ByteWriter w, String s) {
        return w.bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteWriter optional(ByteWriter w, Optional<byte[]> value) {
        w.bool(value.isPresent());
        value.ifPresent(w::bytes);
        return w;
    }
}
