package dev.vouch.store.dao;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.store.IntegrityException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.model.OutgoingEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Envelopes encrypted but not yet accepted by the relay. A row is written in the transaction that
 * advanced the ratchet for it and deleted in the one that records the relay's acceptance, so a
 * crash in between sends the same envelope again (the recipient drops the duplicate) and never
 * loses it. Each row is sealed and bound to its message id.
 */
public final class OutboxDao {
    private static final String TABLE = "outbox";
    private static final int FORMAT = 1;
    private static final int MAX_HANDLE = 256;
    private static final int MAX_ENVELOPE = 2 << 20;
    private static final int MAX_KEY = 256;

    private final StoreContext context;

    public OutboxDao(StoreContext context) {
        this.context = context;
    }

    /** Queues an envelope; joins the caller's transaction. Returns the outbox row id. */
    public long add(long messageId, String recipient, int deviceId, byte[] recipientKey, byte[] envelope)
            throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        byte[] handle = recipient.getBytes(StandardCharsets.UTF_8);
        byte[] plain = new ByteWriter(envelope.length + handle.length + 16).u8(FORMAT).bytes(handle).u32(deviceId)
                .bytes(recipientKey).bytes(envelope).toByteArray();
        return context.database().transaction(connection -> {
            long id = StoreContext.nextId(connection, TABLE);
            PreparedStatement st = context.database().statement("INSERT INTO outbox (id, message_id, data) VALUES (?, ?, ?)");
            st.setLong(1, id);
            st.setLong(2, messageId);
            st.setBytes(3, data.seal(id, binding(messageId), plain));
            st.executeUpdate();
            return id;
        });
    }

    /** Every queued envelope, oldest first (the order they were encrypted in, which the ratchet prefers). */
    public List<OutgoingEnvelope> pending() throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT id, message_id, data FROM outbox ORDER BY id");
            List<OutgoingEnvelope> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long messageId = rs.getLong(2);
                    ByteReader r = new ByteReader(data.open(id, binding(messageId), rs.getBytes(3)), "outbox entry");
                    try {
                        if (r.u8() != FORMAT) {
                            throw new IntegrityException(TABLE, "data", id);
                        }
                        String recipient = new String(r.bytes(MAX_HANDLE), StandardCharsets.UTF_8);
                        int deviceId = r.u32();
                        byte[] recipientKey = r.bytes(MAX_KEY);
                        byte[] envelope = r.bytes(MAX_ENVELOPE);
                        r.end();
                        out.add(new OutgoingEnvelope(id, messageId, recipient, deviceId, recipientKey, envelope));
                    } catch (MalformedDataException e) {
                        throw new IntegrityException(TABLE, "data", id);
                    }
                }
            }
            return out;
        });
    }

    /** Removes a row; returns how many envelopes of the same message are still queued. */
    public int remove(OutgoingEnvelope envelope) throws StoreException {
        return context.database().transaction(connection -> {
            PreparedStatement delete = context.database().statement("DELETE FROM outbox WHERE id = ?");
            delete.setLong(1, envelope.id());
            delete.executeUpdate();
            PreparedStatement left = context.database().statement("SELECT COUNT(*) FROM outbox WHERE message_id = ?");
            left.setLong(1, envelope.messageId());
            try (ResultSet rs = left.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Whether envelopes of this message wait here (then it was encrypted already). */
    public boolean hasEnvelopes(long messageId) throws StoreException {
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT 1 FROM outbox WHERE message_id = ? LIMIT 1");
            st.setLong(1, messageId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        });
    }

    public int size() throws StoreException {
        return context.database().read(connection -> {
            try (ResultSet rs = context.database().statement("SELECT COUNT(*) FROM outbox").executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static byte[] binding(long messageId) {
        return ByteBuffer.allocate(8).putLong(messageId).array();
    }
}
