package dev.vouch.relay.server;

import dev.vouch.store.StoreException;
import dev.vouch.store.sqlite.Database;
import dev.vouch.store.sqlite.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RelayStorage} in one SQLite file (WAL, {@code synchronous=FULL}: an envelope whose
 * {@code send} was answered survives a crash or power cut). One connection writes, behind one lock,
 * and a second one reads (WAL lets it read the last commit while the writer waits for the disk):
 * every write method is one transaction (or one savepoint of a transaction that commits before
 * the method returns), which is also what makes claiming a one-time prekey happen once. Writes
 * that arrive together are committed together ({@link GroupCommit}): one {@code fsync} serves many.
 */
public final class SqliteRelayStorage implements RelayStorage {
    public static final String FILE_NAME = "relay.db";
    static final Migrations MIGRATIONS = new Migrations("relay", List.of("V1__initial.sql", "V2__device_binding.sql",
            "V3__transparency_log.sql", "V4__device_lists.sql", "V5__removed_devices.sql"));

    /** Cached devices at most; when full, the cache starts over. */
    static final int MAX_CACHED_DEVICES = 100_000;

    private final Database db;
    private final Database reader;
    private final SqliteTransparencyLog log;
    private final GroupCommit writes;
    /**
     * Devices as last read from the database, with their row ids: every send checks its
     * recipient's access key and every mailbox operation needs the row id, while a device changes
     * only when it registers again (a new access key). Only committed rows get here (reads go
     * through the read-only connection); {@link #register} drops the device after its commit, and a
     * read that raced with any registration does not keep what it read. Device rows are deleted
     * only by {@link #publishDeviceList} (a removed device), which drops them here too.
     */
    private final Map<DeviceAddress, CachedDevice> devices = new ConcurrentHashMap<>();
    private final AtomicLong registrations = new AtomicLong();

    private record CachedDevice(long pk, Device device) {
    }

    private SqliteRelayStorage(Database db, Database reader, SqliteTransparencyLog log) {
        this.db = db;
        this.reader = reader;
        this.log = log;
        this.writes = new GroupCommit(db, "relay-storage-writer");
    }

    /** Opens or creates {@value #FILE_NAME} in {@code dataDirectory}, with its transparency log. */
    public static SqliteRelayStorage open(Path dataDirectory) throws RelayStorageException {
        Path file = dataDirectory.resolve(FILE_NAME);
        Database db = null;
        SqliteTransparencyLog log;
        try {
            db = Database.open(file, true, MIGRATIONS);
            log = SqliteTransparencyLog.open(db);
        } catch (StoreException e) {
            if (db != null) {
                db.close();
            }
            throw new RelayStorageException("cannot open the relay database: " + e.getMessage(), e);
        }
        try {
            return new SqliteRelayStorage(db, Database.openReader(file), log);
        } catch (StoreException e) {
            db.close();
            throw new RelayStorageException("cannot open the relay database for reading: " + e.getMessage(), e);
        }
    }

    @Override
    public Registration register(Device device, byte[] deviceBinding, Instant now) throws RelayStorageException {
        try {
            return registerRow(device, deviceBinding, now);
        } finally {
            registrations.incrementAndGet();
            devices.remove(device.address());
        }
    }

    private Registration registerRow(Device device, byte[] deviceBinding, Instant now) throws RelayStorageException {
        return write(c -> {
            Long account = null;
            PreparedStatement find = db.statement("SELECT id, account_key FROM accounts WHERE handle = ?");
            find.setString(1, device.address().handle());
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    if (!Arrays.equals(rs.getBytes(2), device.accountKey())) {
                        return Registration.TAKEN;
                    }
                    account = rs.getLong(1);
                }
            }
            if (account == null) {
                PreparedStatement insert = db.statement(
                        "INSERT INTO accounts (handle, account_key, created_at) VALUES (?, ?, ?)");
                insert.setString(1, device.address().handle());
                insert.setBytes(2, device.accountKey());
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
                account = lastRowId(c);
            }
            PreparedStatement existing = db.statement(
                    "SELECT id, device_key FROM devices WHERE account = ? AND device_id = ?");
            existing.setLong(1, account);
            existing.setInt(2, device.address().deviceId());
            PreparedStatement removed = db.statement(
                    "SELECT 1 FROM removed_devices WHERE account = ? AND device_id = ?");
            removed.setLong(1, account);
            removed.setInt(2, device.address().deviceId());
            try (ResultSet rs = removed.executeQuery()) {
                if (rs.next()) {
                    return Registration.REMOVED;
                }
            }
            try (ResultSet rs = existing.executeQuery()) {
                if (rs.next()) {
                    long id = rs.getLong(1);
                    if (!Arrays.equals(rs.getBytes(2), device.deviceKey())) {
                        replaceDeviceKey(id, device, deviceBinding);
                        log.append(device.address().handle());
                        return Registration.REPLACED;
                    }
                    // Also stores the binding of a device registered before bindings were kept (schema 1).
                    PreparedStatement update = db.statement(
                            "UPDATE devices SET access_key = ?, device_binding = ? WHERE id = ?");
                    update.setBytes(1, device.accessKey());
                    update.setBytes(2, deviceBinding);
                    update.setLong(3, id);
                    update.executeUpdate();
                    return Registration.UPDATED;
                }
            }
            PreparedStatement insert = db.statement("INSERT INTO devices (account, device_id, device_key,"
                    + " device_binding, access_key, created_at) VALUES (?, ?, ?, ?, ?, ?)");
            insert.setLong(1, account);
            insert.setInt(2, device.address().deviceId());
            insert.setBytes(3, device.deviceKey());
            insert.setBytes(4, deviceBinding);
            insert.setBytes(5, device.accessKey());
            insert.setLong(6, now.toEpochMilli());
            insert.executeUpdate();
            log.append(device.address().handle());
            return Registration.CREATED;
        });
    }

    /** The device's new key, binding and access key; its prekeys were signed by the old key and go. */
    private void replaceDeviceKey(long id, Device device, byte[] deviceBinding) throws SQLException {
        PreparedStatement update = db.statement("UPDATE devices SET device_key = ?, device_binding = ?, access_key = ?,"
                + " signed_prekey = NULL, last_resort_kem_prekey = NULL WHERE id = ?");
        update.setBytes(1, device.deviceKey());
        update.setBytes(2, deviceBinding);
        update.setBytes(3, device.accessKey());
        update.setLong(4, id);
        update.executeUpdate();
        for (String table : new String[] {"one_time_prekeys", "kem_prekeys"}) {
            PreparedStatement delete = db.statement("DELETE FROM " + table + " WHERE device = ?");
            delete.setLong(1, id);
            delete.executeUpdate();
        }
    }

    @Override
    public ListUpdate publishDeviceList(String handle, byte[] accountKey, long version, Map<Integer, byte[]> listed,
                                        byte[] encoded, java.util.Set<Integer> removed, Instant now)
            throws RelayStorageException {
        try {
            return publishListRow(handle, accountKey, version, listed, encoded, removed, now);
        } finally {
            if (!removed.isEmpty()) {
                registrations.incrementAndGet();
                removed.forEach(id -> devices.remove(new DeviceAddress(handle, id)));
            }
        }
    }

    @Override
    public Optional<byte[]> deviceList(String handle) throws RelayStorageException {
        return read(c -> {
            PreparedStatement st = reader.statement("SELECT device_list FROM accounts WHERE handle = ?");
            st.setString(1, handle);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
    }

    @Override
    public boolean removed(DeviceAddress device) throws RelayStorageException {
        return read(c -> {
            PreparedStatement st = reader.statement("SELECT 1 FROM removed_devices r JOIN accounts a"
                    + " ON a.id = r.account WHERE a.handle = ? AND r.device_id = ?");
            st.setString(1, device.handle());
            st.setInt(2, device.deviceId());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        });
    }

    private ListUpdate publishListRow(String handle, byte[] accountKey, long version, Map<Integer, byte[]> listed,
                                      byte[] encoded, java.util.Set<Integer> removed, Instant now)
            throws RelayStorageException {
        return write(c -> {
            PreparedStatement find = db.statement("SELECT id, account_key, device_list_version FROM accounts"
                    + " WHERE handle = ?");
            find.setString(1, handle);
            long account;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return ListUpdate.UNKNOWN_DEVICE;
                }
                if (!Arrays.equals(rs.getBytes(2), accountKey)) {
                    return ListUpdate.ACCOUNT_KEY_CHANGED;
                }
                if (version <= rs.getLong(3)) {
                    return ListUpdate.NOT_NEWER;
                }
                account = rs.getLong(1);
            }
            PreparedStatement devices = db.statement("SELECT device_id, device_key FROM devices WHERE account = ?");
            devices.setLong(1, account);
            Map<Integer, byte[]> registered = new java.util.HashMap<>();
            try (ResultSet rs = devices.executeQuery()) {
                while (rs.next()) {
                    registered.put(rs.getInt(1), rs.getBytes(2));
                }
            }
            for (Map.Entry<Integer, byte[]> device : listed.entrySet()) {
                if (!Arrays.equals(registered.get(device.getKey()), device.getValue())) {
                    return ListUpdate.UNKNOWN_DEVICE;
                }
            }
            PreparedStatement update = db.statement("UPDATE accounts SET device_list = ?, device_list_version = ?"
                    + " WHERE id = ?");
            update.setBytes(1, encoded);
            update.setLong(2, version);
            update.setLong(3, account);
            update.executeUpdate();
            for (int deviceId : removed) {
                if (listed.containsKey(deviceId)) {
                    continue;
                }
                // Prekeys and the mailbox go with the row (ON DELETE CASCADE).
                PreparedStatement delete = db.statement("DELETE FROM devices WHERE account = ? AND device_id = ?");
                delete.setLong(1, account);
                delete.setInt(2, deviceId);
                delete.executeUpdate();
                PreparedStatement remember = db.statement("INSERT OR IGNORE INTO removed_devices"
                        + " (account, device_id, removed_at) VALUES (?, ?, ?)");
                remember.setLong(1, account);
                remember.setInt(2, deviceId);
                remember.setLong(3, now.toEpochMilli());
                remember.executeUpdate();
            }
            log.append(handle);
            return ListUpdate.STORED;
        });
    }

    @Override
    public Optional<Device> device(DeviceAddress address) throws RelayStorageException {
        CachedDevice cached = devices.get(address);
        if (cached != null) {
            return Optional.of(cached.device());
        }
        long generation = registrations.get();
        Optional<CachedDevice> read = read(c -> {
            PreparedStatement st = reader.statement("SELECT d.id, a.account_key, d.device_key, d.access_key FROM devices d"
                    + " JOIN accounts a ON a.id = d.account WHERE a.handle = ? AND d.device_id = ?");
            st.setString(1, address.handle());
            st.setInt(2, address.deviceId());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new CachedDevice(rs.getLong(1),
                        new Device(address, rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)))) : Optional.empty();
            }
        });
        if (read.isPresent()) {
            if (devices.size() >= MAX_CACHED_DEVICES) {
                devices.clear();
            }
            devices.put(address, read.get());
            if (registrations.get() != generation) {
                devices.remove(address); // a registration may have changed it after we read it
            }
        }
        return read.map(CachedDevice::device);
    }

    @Override
    public PreKeyCounts storePreKeys(DeviceAddress device, PreKeyUpload upload, int maxPerKind)
            throws RelayStorageException, QuotaExceededException {
        PreKeyCounts counts = write(c -> {
            long pk = devicePk(db, device);
            if (upload.signedPreKey().isPresent()) {
                PreparedStatement st = db.statement("UPDATE devices SET signed_prekey = ? WHERE id = ?");
                st.setBytes(1, upload.signedPreKey().get());
                st.setLong(2, pk);
                st.executeUpdate();
            }
            if (upload.lastResortKem().isPresent()) {
                PreparedStatement st = db.statement("UPDATE devices SET last_resort_kem_prekey = ? WHERE id = ?");
                st.setBytes(1, upload.lastResortKem().get());
                st.setLong(2, pk);
                st.executeUpdate();
            }
            insertKeys("one_time_prekeys", pk, upload.oneTime());
            insertKeys("kem_prekeys", pk, upload.kem());
            PreKeyCounts after = counts(db, pk);
            if (after.oneTime() > maxPerKind || after.kem() > maxPerKind) {
                // Undo by throwing: Database.transaction rolls back on any exception.
                throw new QuotaSignal();
            }
            return after;
        });
        if (counts == null) {
            throw new QuotaExceededException("a device keeps at most " + maxPerKind + " one-time prekeys of each kind");
        }
        return counts;
    }

    private void insertKeys(String table, long device, List<PreKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        PreparedStatement st = db.statement("INSERT OR REPLACE INTO " + table + " (device, key_id, encoded) VALUES (?, ?, ?)");
        for (PreKey key : keys) {
            st.setLong(1, device);
            st.setLong(2, Integer.toUnsignedLong(key.id()));
            st.setBytes(3, key.encoded());
            st.addBatch();
        }
        st.executeBatch();
    }

    @Override
    public PreKeyCounts preKeyCounts(DeviceAddress device) throws RelayStorageException {
        return read(c -> counts(reader, devicePk(reader, device)));
    }

    private static PreKeyCounts counts(Database on, long device) throws SQLException {
        PreparedStatement st = on.statement("SELECT (SELECT count(*) FROM one_time_prekeys WHERE device = ?),"
                + " (SELECT count(*) FROM kem_prekeys WHERE device = ?)");
        st.setLong(1, device);
        st.setLong(2, device);
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return new PreKeyCounts(rs.getInt(1), rs.getInt(2));
        }
    }

    @Override
    public Optional<AccountDevices> lookup(String handle) throws RelayStorageException {
        return read(c -> {
            long account;
            byte[] accountKey;
            byte[] deviceList;
            PreparedStatement find = reader.statement("SELECT id, account_key, device_list FROM accounts WHERE handle = ?");
            find.setString(1, handle);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                account = rs.getLong(1);
                accountKey = rs.getBytes(2);
                deviceList = rs.getBytes(3);
            }
            PreparedStatement devices = reader.statement("SELECT device_id, device_key, device_binding FROM devices"
                    + " WHERE account = ? AND device_binding IS NOT NULL ORDER BY device_id");
            devices.setLong(1, account);
            List<BoundDevice> out = new ArrayList<>();
            try (ResultSet rs = devices.executeQuery()) {
                while (rs.next()) {
                    out.add(new BoundDevice(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)));
                }
            }
            return Optional.of(new AccountDevices(accountKey, out, Optional.ofNullable(deviceList)));
        });
    }

    @Override
    public Optional<ClaimedAccount> claimPreKeys(String handle) throws RelayStorageException {
        return write(c -> {
            PreparedStatement find = db.statement("SELECT id, account_key FROM accounts WHERE handle = ?");
            find.setString(1, handle);
            long account;
            byte[] accountKey;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                account = rs.getLong(1);
                accountKey = rs.getBytes(2);
            }
            record Row(long pk, int deviceId, byte[] deviceKey, byte[] binding, byte[] signedPreKey, byte[] lastResort) {
            }
            List<Row> rows = new ArrayList<>();
            // A device without a stored binding (registered before schema 2) cannot be proven to belong
            // to the account, so it is left out before any of its keys is spent.
            PreparedStatement devices = db.statement("SELECT id, device_id, device_key, device_binding, signed_prekey,"
                    + " last_resort_kem_prekey FROM devices WHERE account = ? AND device_binding IS NOT NULL"
                    + " ORDER BY device_id");
            devices.setLong(1, account);
            try (ResultSet rs = devices.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4), rs.getBytes(5),
                            rs.getBytes(6)));
                }
            }
            List<ClaimedDevice> claimed = new ArrayList<>();
            for (Row row : rows) {
                if (row.signedPreKey() == null) {
                    continue;
                }
                // One-time keys go out in pairs (one X25519, one ML-KEM); when either kind has run out,
                // neither is spent and the bundle carries the last-resort ML-KEM key alone.
                if (has("one_time_prekeys", row.pk()) && has("kem_prekeys", row.pk())) {
                    claimed.add(new ClaimedDevice(row.deviceId(), row.deviceKey(), row.binding(), row.signedPreKey(),
                            take("one_time_prekeys", row.pk()), take("kem_prekeys", row.pk()).orElseThrow()));
                } else if (row.lastResort() != null) {
                    claimed.add(new ClaimedDevice(row.deviceId(), row.deviceKey(), row.binding(), row.signedPreKey(),
                            Optional.empty(), row.lastResort()));
                }
                // else: no ML-KEM key to hand out; the device is unreachable until it uploads one
            }
            return Optional.of(new ClaimedAccount(accountKey, claimed));
        });
    }

    private boolean has(String table, long device) throws SQLException {
        PreparedStatement st = db.statement("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE device = ?)");
        st.setLong(1, device);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Removes and returns the lowest-id key of one kind, inside the caller's transaction. */
    private Optional<byte[]> take(String table, long device) throws SQLException {
        PreparedStatement st = db.statement("DELETE FROM " + table + " WHERE device = ? AND key_id ="
                + " (SELECT min(key_id) FROM " + table + " WHERE device = ?) RETURNING encoded");
        st.setLong(1, device);
        st.setLong(2, device);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
    }

    @Override
    public void storeEnvelope(DeviceAddress device, String envelopeId, byte[] body, Instant received, Quota quota)
            throws RelayStorageException, QuotaExceededException {
        Boolean stored = write(c -> {
            long pk = devicePk(db, device);
            // Reserve the room first: no row changes when the mailbox is full.
            PreparedStatement reserve = db.statement("UPDATE devices SET mailbox_count = mailbox_count + 1,"
                    + " mailbox_bytes = mailbox_bytes + ? WHERE id = ? AND mailbox_count + 1 <= ?"
                    + " AND mailbox_bytes + ? <= ?");
            reserve.setLong(1, body.length);
            reserve.setLong(2, pk);
            reserve.setLong(3, quota.maxEnvelopes());
            reserve.setLong(4, body.length);
            reserve.setLong(5, quota.maxBytes());
            if (reserve.executeUpdate() == 0) {
                return false;
            }
            PreparedStatement insert = db.statement(
                    "INSERT INTO envelopes (device, envelope_id, received_at, body) VALUES (?, ?, ?, ?)");
            insert.setLong(1, pk);
            insert.setString(2, envelopeId);
            insert.setLong(3, received.toEpochMilli());
            insert.setBytes(4, body);
            insert.executeUpdate();
            return true;
        });
        if (!stored) {
            throw new QuotaExceededException("the mailbox holds at most " + quota.maxEnvelopes() + " envelopes or "
                    + quota.maxBytes() / (1024 * 1024) + " MiB");
        }
    }

    @Override
    public List<Envelope> envelopes(DeviceAddress device, long afterSeq, int limit) throws RelayStorageException {
        return read(c -> {
            PreparedStatement st = reader.statement("SELECT e.seq, e.envelope_id, e.body, e.received_at FROM envelopes e"
                    + " WHERE e.device = ? AND e.seq > ? ORDER BY e.seq LIMIT ?");
            st.setLong(1, devicePk(reader, device));
            st.setLong(2, afterSeq);
            st.setInt(3, limit);
            List<Envelope> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Envelope(rs.getLong(1), rs.getString(2), rs.getBytes(3),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        });
    }

    @Override
    public boolean deleteEnvelope(DeviceAddress device, String envelopeId) throws RelayStorageException {
        return write(c -> {
            PreparedStatement st = db.statement("DELETE FROM envelopes WHERE device = ? AND envelope_id = ?"
                    + " RETURNING device, length(body)");
            st.setLong(1, devicePk(db, device));
            st.setString(2, envelopeId);
            List<long[]> deleted = collect(st);
            release(deleted);
            return !deleted.isEmpty();
        });
    }

    @Override
    public int deleteEnvelopesReceivedBefore(Instant cutoff) throws RelayStorageException {
        return write(c -> {
            PreparedStatement st = db.statement("DELETE FROM envelopes WHERE received_at < ? RETURNING device, length(body)");
            st.setLong(1, cutoff.toEpochMilli());
            List<long[]> deleted = collect(st);
            release(deleted);
            return deleted.size();
        });
    }

    private static List<long[]> collect(PreparedStatement st) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return out;
    }

    /** Gives deleted envelopes' room back to their mailboxes' quota. */
    private void release(List<long[]> deleted) throws SQLException {
        PreparedStatement st = db.statement("UPDATE devices SET mailbox_count = mailbox_count - 1,"
                + " mailbox_bytes = mailbox_bytes - ? WHERE id = ?");
        for (long[] row : deleted) {
            st.setLong(1, row[1]);
            st.setLong(2, row[0]);
            st.executeUpdate();
        }
    }

    /** The device's row id: from the cache when it holds the device, else looked up (and not cached: this may be inside a write). */
    private long devicePk(Database on, DeviceAddress address) throws SQLException {
        CachedDevice cached = devices.get(address);
        if (cached != null) {
            return cached.pk();
        }
        PreparedStatement st = on.statement("SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account"
                + " WHERE a.handle = ? AND d.device_id = ?");
        st.setString(1, address.handle());
        st.setInt(2, address.deviceId());
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no such device");
            }
            return rs.getLong(1);
        }
    }

    private static long lastRowId(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Thrown inside a transaction to roll it back when a quota would be exceeded. */
    private static final class QuotaSignal extends RuntimeException {
        QuotaSignal() {
            super(null, null, false, false);
        }
    }

    private <T> T write(Database.SqlWork<T> work) throws RelayStorageException {
        try {
            return writes.write(work);
        } catch (QuotaSignal quota) {
            return null;
        } catch (StoreException e) {
            throw new RelayStorageException("relay database write failed: " + e.getMessage(), e);
        }
    }

    private <T> T read(Database.SqlWork<T> work) throws RelayStorageException {
        try {
            return reader.read(work);
        } catch (StoreException e) {
            throw new RelayStorageException("relay database read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public TransparencyLog log() {
        return log;
    }

    @Override
    public void close() {
        writes.close();
        reader.close();
        db.close();
    }
}
