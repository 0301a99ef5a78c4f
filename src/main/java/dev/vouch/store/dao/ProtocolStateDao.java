package dev.vouch.store.dao;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.state.ProtocolStore;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The protocol's state in the profile database: sessions, our prekeys and the identity keys seen
 * for remote devices, all sealed. {@link #transaction} is a database transaction, so a message
 * stored by a decryption callback and the ratchet step it caused commit together.
 * Identity policy here is trust on first use; the contact layer decides on changes.
 */
public final class ProtocolStateDao implements ProtocolStore {
    private static final int SIGNED = 1;
    private static final int ONE_TIME = 2;
    private static final int KEM = 3;

    private final StoreContext context;
    private final DeviceIdentity localIdentity;

    public ProtocolStateDao(StoreContext context, DeviceIdentity localIdentity) {
        this.context = context;
        this.localIdentity = localIdentity;
    }

    /** Carries a protocol failure out of the database transaction so it rolls back and is rethrown as itself. */
    private static final class Abort extends RuntimeException {
        private final ProtocolException cause;

        Abort(ProtocolException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    @Override
    public <T> T transaction(Work<T> work) throws ProtocolException {
        try {
            return context.database().transaction(connection -> {
                try {
                    return work.run();
                } catch (ProtocolException e) {
                    throw new Abort(e);
                }
            });
        } catch (Abort abort) {
            throw abort.cause;
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private static StateUnavailableException unavailable(StoreException e) {
        return new StateUnavailableException("protocol state unavailable: " + e.getMessage(), e);
    }

    private byte[] addressIndex(ProtocolAddress address) throws StoreException {
        return context.blindIndex().of("protocol address", address.name() + "\0" + address.deviceId());
    }

    // sessions

    @Override
    public Optional<SessionRecord> loadSession(ProtocolAddress address) throws StateUnavailableException {
        return loadByIndex("sessions", "record", addressIndex(address, true), SessionRecord::decode,
                "session record for " + address);
    }

    @Override
    public void storeSession(ProtocolAddress address, SessionRecord record) throws StateUnavailableException {
        upsert("sessions", "address_index", "record", addressIndex(address, true), record.serialize());
    }

    @Override
    public void deleteSession(ProtocolAddress address) throws StateUnavailableException {
        delete("sessions", "address_index", addressIndex(address, true));
    }

    /**
     * Whether a session with {@code address} exists that may be encrypted with: a session restored
     * from an archive only decrypts until a fresh one replaces it (see {@link #retireSession}).
     */
    public boolean hasSendableSession(ProtocolAddress address) throws StateUnavailableException {
        byte[] index = addressIndex(address, true);
        try {
            return context.database().read(connection -> {
                PreparedStatement st = context.database().statement(
                        "SELECT send_retired FROM sessions WHERE address_index = ?");
                st.setBytes(1, index);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 0;
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /**
     * Marks the session with {@code address} as never to be encrypted with again: it came from an
     * archive, and the device that exported it may have used the same sending chain. It still
     * decrypts; {@link #hasSendableSession} is false until {@link #reviveSession} after a new
     * session has been set up over it.
     */
    public void retireSession(ProtocolAddress address) throws StateUnavailableException {
        setRetired(address, 1);
    }

    /** Clears {@link #retireSession}: called once a fresh session with {@code address} is current. */
    public void reviveSession(ProtocolAddress address) throws StateUnavailableException {
        setRetired(address, 0);
    }

    private void setRetired(ProtocolAddress address, int retired) throws StateUnavailableException {
        byte[] index = addressIndex(address, true);
        try {
            context.database().transaction(connection -> {
                PreparedStatement st = context.database().statement(
                        "UPDATE sessions SET send_retired = ? WHERE address_index = ?");
                st.setInt(1, retired);
                st.setBytes(2, index);
                st.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** Forgets a remote device that left its account's list: its session and its identity key. */
    public void forgetDevice(ProtocolAddress address) throws StateUnavailableException {
        byte[] index = addressIndex(address, true);
        delete("sessions", "address_index", index);
        delete("identities", "address_index", index);
    }

    private byte[] addressIndex(ProtocolAddress address, boolean wrap) throws StateUnavailableException {
        try {
            return addressIndex(address);
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** Inserts or replaces the sealed value of the row found by {@code index}, keeping its row id. */
    private void upsert(String table, String indexColumn, String valueColumn, byte[] index, byte[] plain)
            throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column(table, valueColumn);
            context.database().transaction(connection -> {
                PreparedStatement find = context.database().statement(
                        "SELECT id FROM " + table + " WHERE " + indexColumn + " = ?");
                find.setBytes(1, index);
                Long id;
                try (ResultSet rs = find.executeQuery()) {
                    id = rs.next() ? rs.getLong(1) : null;
                }
                if (id == null) {
                    long newId = StoreContext.nextId(connection, table);
                    PreparedStatement insert = context.database().statement(
                            "INSERT INTO " + table + " (id, " + indexColumn + ", " + valueColumn + ") VALUES (?, ?, ?)");
                    insert.setLong(1, newId);
                    insert.setBytes(2, index);
                    insert.setBytes(3, column.seal(newId, index, plain));
                    insert.executeUpdate();
                } else {
                    PreparedStatement update = context.database().statement(
                            "UPDATE " + table + " SET " + valueColumn + " = ? WHERE id = ?");
                    update.setBytes(1, column.seal(id, index, plain));
                    update.setLong(2, id);
                    update.executeUpdate();
                }
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private void delete(String table, String indexColumn, byte[] index) throws StateUnavailableException {
        try {
            context.database().transaction(connection -> {
                PreparedStatement st = context.database().statement("DELETE FROM " + table + " WHERE " + indexColumn + " = ?");
                st.setBytes(1, index);
                st.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    // prekeys

    private interface Decoder<T> {
        T decode(byte[] data) throws MalformedDataException;
    }

    private static byte[] prekeyBinding(int kind, int keyId) {
        return ByteBuffer.allocate(8).putInt(kind).putInt(keyId).array();
    }

    private <T> Optional<T> loadPreKey(int kind, int keyId, Decoder<T> decoder) throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column("prekeys", "record");
            return context.database().read(connection -> {
                PreparedStatement st = context.database().statement(
                        "SELECT id, record FROM prekeys WHERE kind = ? AND key_id = ?");
                st.setInt(1, kind);
                st.setInt(2, keyId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(decoder.decode(column.open(rs.getLong(1), prekeyBinding(kind, keyId), rs.getBytes(2))));
                } catch (MalformedDataException e) {
                    throw new StoreException("prekey " + Integer.toUnsignedString(keyId) + " does not decode");
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private void storePreKey(int kind, int keyId, byte[] plain) throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column("prekeys", "record");
            context.database().transaction(connection -> {
                PreparedStatement delete = context.database().statement("DELETE FROM prekeys WHERE kind = ? AND key_id = ?");
                delete.setInt(1, kind);
                delete.setInt(2, keyId);
                delete.executeUpdate();
                long id = StoreContext.nextId(connection, "prekeys");
                PreparedStatement insert = context.database().statement(
                        "INSERT INTO prekeys (id, kind, key_id, record) VALUES (?, ?, ?, ?)");
                insert.setLong(1, id);
                insert.setInt(2, kind);
                insert.setInt(3, keyId);
                insert.setBytes(4, column.seal(id, prekeyBinding(kind, keyId), plain));
                insert.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private void removePreKey(int kind, int keyId) throws StateUnavailableException {
        try {
            context.database().transaction(connection -> {
                PreparedStatement st = context.database().statement("DELETE FROM prekeys WHERE kind = ? AND key_id = ?");
                st.setInt(1, kind);
                st.setInt(2, keyId);
                st.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** The kinds of stored prekey, with the codes archives use for them. */
    public enum PreKeyKind {
        SIGNED(ProtocolStateDao.SIGNED),
        ONE_TIME(ProtocolStateDao.ONE_TIME),
        KEM(ProtocolStateDao.KEM);

        private final int code;

        PreKeyKind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Optional<PreKeyKind> ofCode(int code) {
            for (PreKeyKind kind : values()) {
                if (kind.code == code) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** One stored prekey with its private part, serialized as the protocol does. */
    public record StoredPreKey(PreKeyKind kind, int keyId, byte[] serialized) {
        @Override
        public String toString() {
            return "StoredPreKey[" + kind + " " + Integer.toUnsignedString(keyId) + "]";
        }
    }

    /** Every stored prekey, private parts included (for a full archive). */
    public List<StoredPreKey> preKeys() throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column("prekeys", "record");
            return context.database().read(connection -> {
                List<StoredPreKey> out = new ArrayList<>();
                PreparedStatement st = context.database().statement("SELECT id, kind, key_id, record FROM prekeys ORDER BY id");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int kind = rs.getInt(2);
                        int keyId = rs.getInt(3);
                        PreKeyKind known = PreKeyKind.ofCode(kind).orElseThrow(
                                () -> new StoreException("a stored prekey has unknown kind " + kind));
                        out.add(new StoredPreKey(known, keyId,
                                column.open(rs.getLong(1), prekeyBinding(kind, keyId), rs.getBytes(4))));
                    }
                }
                return out;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** Stores a prekey taken from an archive, after checking that it decodes as its kind. */
    public void restorePreKey(StoredPreKey key) throws StateUnavailableException, MalformedDataException {
        switch (key.kind()) {
            case SIGNED -> storeSignedPreKey(SignedPreKey.decodePrivate(key.serialized()));
            case ONE_TIME -> storeOneTimePreKey(OneTimePreKey.decodePrivate(key.serialized()));
            case KEM -> storeKemPreKey(KemPreKey.decodePrivate(key.serialized()));
            default -> throw new IllegalStateException("unhandled prekey kind " + key.kind());
        }
    }

    /** Every remote device whose identity key is stored, in row order. */
    public List<ProtocolAddress> knownDevices() throws StateUnavailableException {
        return identityRows().stream().map(IdentityRow::address).toList();
    }

    @Override
    public Optional<SignedPreKey> loadSignedPreKey(int id) throws StateUnavailableException {
        return loadPreKey(SIGNED, id, SignedPreKey::decodePrivate);
    }

    @Override
    public void storeSignedPreKey(SignedPreKey key) throws StateUnavailableException {
        storePreKey(SIGNED, key.id(), key.serializePrivate());
    }

    @Override
    public Optional<OneTimePreKey> loadOneTimePreKey(int id) throws StateUnavailableException {
        return loadPreKey(ONE_TIME, id, OneTimePreKey::decodePrivate);
    }

    @Override
    public void storeOneTimePreKey(OneTimePreKey key) throws StateUnavailableException {
        storePreKey(ONE_TIME, key.id(), key.serializePrivate());
    }

    @Override
    public void removeOneTimePreKey(int id) throws StateUnavailableException {
        removePreKey(ONE_TIME, id);
    }

    /** Deletes a signed prekey that has been replaced long enough ago that no message can still need it. */
    public void removeSignedPreKey(int id) throws StateUnavailableException {
        removePreKey(SIGNED, id);
    }

    @Override
    public Optional<KemPreKey> loadKemPreKey(int id) throws StateUnavailableException {
        return loadPreKey(KEM, id, KemPreKey::decodePrivate);
    }

    @Override
    public void storeKemPreKey(KemPreKey key) throws StateUnavailableException {
        storePreKey(KEM, key.id(), key.serializePrivate());
        try {
            // A new key under this id has set up nothing yet.
            context.database().transaction(connection -> {
                PreparedStatement st = context.database().statement("DELETE FROM kem_prekey_uses WHERE key_id = ?");
                st.setInt(1, key.id());
                st.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void markKemPreKeyUsed(int id, byte[] baseKey) throws StateUnavailableException {
        Optional<KemPreKey> key = loadKemPreKey(id);
        if (key.isEmpty()) {
            return;
        }
        if (!key.get().lastResort()) {
            removePreKey(KEM, id);
            return;
        }
        try {
            byte[] index = context.blindIndex().of("last-resort base key", baseKey);
            context.database().transaction(connection -> {
                PreparedStatement st = context.database().statement(
                        "INSERT OR IGNORE INTO kem_prekey_uses (id, key_id, base_key_index) VALUES (?, ?, ?)");
                st.setLong(1, StoreContext.nextId(connection, "kem_prekey_uses"));
                st.setInt(2, id);
                st.setBytes(3, index);
                st.executeUpdate();
                return null;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean kemPreKeyUsedWith(int id, byte[] baseKey) throws StateUnavailableException {
        try {
            byte[] index = context.blindIndex().of("last-resort base key", baseKey);
            return context.database().read(connection -> {
                PreparedStatement st = context.database().statement(
                        "SELECT 1 FROM kem_prekey_uses WHERE key_id = ? AND base_key_index = ?");
                st.setInt(1, id);
                st.setBytes(2, index);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next();
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    // identities

    @Override
    public DeviceIdentity localIdentity() {
        return localIdentity;
    }

    @Override
    public boolean isTrusted(ProtocolAddress address, DeviceIdentityKey key) throws StateUnavailableException {
        Optional<DeviceIdentityKey> known = identity(address);
        return known.isEmpty() || known.get().equals(key);
    }

    @Override
    public boolean saveIdentity(ProtocolAddress address, DeviceIdentityKey key) throws StateUnavailableException {
        Optional<DeviceIdentityKey> known = identity(address);
        upsert("identities", "address_index", "data", addressIndex(address, true), identityData(address, key));
        return known.isPresent() && !known.get().equals(key);
    }

    @Override
    public Optional<DeviceIdentityKey> identity(ProtocolAddress address) throws StateUnavailableException {
        // The sealed value is the address (for listings) followed by the identity key.
        return loadByIndex("identities", "data", addressIndex(address, true), plain -> DeviceIdentityKey.decode(
                java.util.Arrays.copyOfRange(plain, plain.length - DeviceIdentityKey.SERIALIZED_LENGTH, plain.length)),
                "identity of " + address);
    }

    /** Every device identity stored for the account {@code name}, by device id (a scan: contacts have few devices). */
    public SortedMap<Integer, DeviceIdentityKey> devicesOf(String name) throws StateUnavailableException {
        SortedMap<Integer, DeviceIdentityKey> out = new TreeMap<>();
        for (IdentityRow row : identityRows()) {
            if (row.address().name().equals(name)) {
                out.put(row.address().deviceId(), row.key());
            }
        }
        return out;
    }

    private record IdentityRow(ProtocolAddress address, DeviceIdentityKey key) {
    }

    /** Every stored identity with its address, in row order (see {@link #identityData}). */
    private List<IdentityRow> identityRows() throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column("identities", "data");
            return context.database().read(connection -> {
                List<IdentityRow> out = new ArrayList<>();
                PreparedStatement st = context.database().statement("SELECT id, address_index, data FROM identities ORDER BY id");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        byte[] plain = column.open(rs.getLong(1), rs.getBytes(2), rs.getBytes(3));
                        int split = plain.length - DeviceIdentityKey.SERIALIZED_LENGTH;
                        String address = new String(plain, 0, Math.max(0, split), StandardCharsets.UTF_8);
                        int separator = address.lastIndexOf('\0');
                        if (split <= 0 || separator < 0) {
                            throw new StoreException("a stored identity has no address");
                        }
                        out.add(new IdentityRow(new ProtocolAddress(address.substring(0, separator),
                                Integer.parseInt(address.substring(separator + 1))),
                                DeviceIdentityKey.decode(java.util.Arrays.copyOfRange(plain, split, plain.length))));
                    }
                } catch (MalformedDataException | NumberFormatException e) {
                    throw new StoreException("a stored identity does not decode: " + e.getMessage());
                }
                return out;
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** The sealed value of the row of {@code table} found by its address index, opened and decoded. */
    private <T> Optional<T> loadByIndex(String table, String valueColumn, byte[] index, Decoder<T> decoder, String what)
            throws StateUnavailableException {
        try {
            FieldCipher.Column column = context.column(table, valueColumn);
            return context.database().read(connection -> {
                PreparedStatement st = context.database().statement(
                        "SELECT id, " + valueColumn + " FROM " + table + " WHERE address_index = ?");
                st.setBytes(1, index);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(decoder.decode(column.open(rs.getLong(1), index, rs.getBytes(2))));
                } catch (MalformedDataException e) {
                    throw new StoreException(what + " does not decode: " + e.getMessage());
                }
            });
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** The address (for listings) followed by the serialized identity key. */
    private static byte[] identityData(ProtocolAddress address, DeviceIdentityKey key) {
        byte[] name = (address.name() + "\0" + address.deviceId()).getBytes(StandardCharsets.UTF_8);
        byte[] serialized = key.serialize();
        return ByteBuffer.allocate(name.length + serialized.length).put(name).put(serialized).array();
    }
}
