package dev.vouch.store.dao;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.store.IntegrityException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.VerificationState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Contacts and their key history. Handle, name, verification state and account key are sealed
 * in one value per contact, found by the handle's blind index; each key event is sealed and bound
 * to its contact.
 */
public final class ContactDao {
    private static final String TABLE = "contacts";
    private static final String EVENTS = "key_events";
    private static final String INDEX_DOMAIN = "contact handle";
    private static final int FORMAT = 2;
    /** Format 1 had no profile key; such rows still open. */
    private static final int FORMAT_WITHOUT_PROFILE_KEY = 1;

    private final StoreContext context;

    public ContactDao(StoreContext context) {
        this.context = context;
    }

    /** Adds a contact (unverified, no key yet) or returns the existing one. */
    public Contact add(String handle, String displayName, Instant now) throws StoreException {
        byte[] index = context.blindIndex().of(INDEX_DOMAIN, handle);
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().transaction(connection -> {
            Optional<Contact> existing = findByIndex(index, data);
            if (existing.isPresent()) {
                return existing.get();
            }
            long id = StoreContext.nextId(connection, TABLE);
            Contact contact = new Contact(id, handle, displayName, VerificationState.UNVERIFIED, Optional.empty(), now);
            PreparedStatement st = context.database().statement("INSERT INTO contacts (id, handle_index, data) VALUES (?, ?, ?)");
            st.setLong(1, id);
            st.setBytes(2, index);
            st.setBytes(3, data.seal(id, index, encode(contact)));
            st.executeUpdate();
            return contact;
        });
    }

    public Optional<Contact> find(String handle) throws StoreException {
        byte[] index = context.blindIndex().of(INDEX_DOMAIN, handle);
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().read(connection -> findByIndex(index, data));
    }

    private Optional<Contact> findByIndex(byte[] index, FieldCipher.Column data) throws SQLException, StoreException {
        PreparedStatement st = context.database().statement("SELECT id, data FROM contacts WHERE handle_index = ?");
        st.setBytes(1, index);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long id = rs.getLong(1);
            return Optional.of(decode(id, data.open(id, index, rs.getBytes(2))));
        }
    }

    /** Every contact; a damaged row raises an {@link IntegrityException} naming it. */
    public List<Contact> list() throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT id, handle_index, data FROM contacts ORDER BY id");
            List<Contact> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.add(decode(id, data.open(id, rs.getBytes(2), rs.getBytes(3))));
                }
            }
            return out;
        });
    }

    /** Replaces the sealed data of an existing contact (verification state, key, name). */
    public void update(Contact contact) throws StoreException {
        byte[] index = context.blindIndex().of(INDEX_DOMAIN, contact.handle());
        FieldCipher.Column data = context.column(TABLE, "data");
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("UPDATE contacts SET data = ? WHERE id = ? AND handle_index = ?");
            st.setBytes(1, data.seal(contact.id(), index, encode(contact)));
            st.setLong(2, contact.id());
            st.setBytes(3, index);
            if (st.executeUpdate() != 1) {
                throw new StoreException("no contact " + contact.id());
            }
            return null;
        });
    }

    public KeyEvent addEvent(long contactId, Instant at, KeyEvent.Type type, String detail) throws StoreException {
        FieldCipher.Column data = context.column(EVENTS, "data");
        return context.database().transaction(connection -> {
            long id = StoreContext.nextId(connection, EVENTS);
            byte[] plain = new ByteWriter(64).u64(at.toEpochMilli()).u8(type.ordinal())
                    .bytes(detail.getBytes(StandardCharsets.UTF_8)).toByteArray();
            PreparedStatement st = context.database().statement("INSERT INTO key_events (id, contact_id, data) VALUES (?, ?, ?)");
            st.setLong(1, id);
            st.setLong(2, contactId);
            st.setBytes(3, data.seal(id, contactBinding(contactId), plain));
            st.executeUpdate();
            return new KeyEvent(id, contactId, at, type, detail);
        });
    }

    /** A contact's key history, oldest first. */
    public List<KeyEvent> events(long contactId) throws StoreException {
        FieldCipher.Column data = context.column(EVENTS, "data");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT id, data FROM key_events WHERE contact_id = ? ORDER BY id");
            st.setLong(1, contactId);
            List<KeyEvent> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    ByteReader r = new ByteReader(data.open(id, contactBinding(contactId), rs.getBytes(2)), "key event");
                    try {
                        Instant at = Instant.ofEpochMilli(r.u64());
                        int type = r.u8();
                        String detail = new String(r.bytes(4096), StandardCharsets.UTF_8);
                        r.end();
                        if (type >= KeyEvent.Type.values().length) {
                            throw new IntegrityException(EVENTS, "data", id);
                        }
                        out.add(new KeyEvent(id, contactId, at, KeyEvent.Type.values()[type], detail));
                    } catch (MalformedDataException e) {
                        throw new IntegrityException(EVENTS, "data", id);
                    }
                }
            }
            return out;
        });
    }

    private static byte[] contactBinding(long contactId) {
        return ByteBuffer.allocate(8).putLong(contactId).array();
    }

    private static byte[] encode(Contact c) {
        ByteWriter w = new ByteWriter(160).u8(FORMAT).bytes(c.handle().getBytes(StandardCharsets.UTF_8))
                .bytes(c.displayName().getBytes(StandardCharsets.UTF_8)).u8(c.verification().ordinal())
                .u64(c.addedAt().toEpochMilli()).bool(c.accountKey().isPresent());
        c.accountKey().ifPresent(k -> w.bytes(k.serialize()));
        w.bool(c.profileKey().isPresent());
        c.profileKey().ifPresent(k -> w.bytes(k.bytes()));
        return w.toByteArray();
    }

    private static Contact decode(long id, byte[] plain) throws IntegrityException {
        ByteReader r = new ByteReader(plain, "contact");
        try {
            int format = r.u8();
            if (format != FORMAT && format != FORMAT_WITHOUT_PROFILE_KEY) {
                throw new IntegrityException(TABLE, "data", id);
            }
            String handle = new String(r.bytes(256), StandardCharsets.UTF_8);
            String name = new String(r.bytes(1024), StandardCharsets.UTF_8);
            int state = r.u8();
            Instant added = Instant.ofEpochMilli(r.u64());
            Optional<AccountIdentityKey> key = r.bool()
                    ? Optional.of(AccountIdentityKey.decode(r.bytes(64))) : Optional.empty();
            Optional<ProfileKey> profileKey = Optional.empty();
            if (format == FORMAT && r.bool()) {
                byte[] bytes = r.bytes(ProfileKey.LENGTH);
                if (bytes.length != ProfileKey.LENGTH) {
                    throw new IntegrityException(TABLE, "data", id);
                }
                profileKey = Optional.of(new ProfileKey(bytes));
            }
            r.end();
            if (state >= VerificationState.values().length) {
                throw new IntegrityException(TABLE, "data", id);
            }
            return new Contact(id, handle, name, VerificationState.values()[state], key, added, profileKey);
        } catch (MalformedDataException e) {
            throw new IntegrityException(TABLE, "data", id);
        }
    }
}
