package dev.vouch.relay.server;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.store.StoreException;
import dev.vouch.store.sqlite.Database;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleHash;
import dev.vouch.transparency.merkle.MerkleTree;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The transparency log in the relay's SQLite database: leaf data in {@code log_leaves}, the tree's
 * nodes in {@code log_nodes} ({@link SqliteNodeStore}), both written by {@link #append} inside the
 * registration's transaction. Proofs come from a copy of the tree in memory, loaded on open and
 * extended after each commit (in commit order, under the database lock), so it never holds an
 * entry that did not commit; {@link #size()} is its size.
 */
final class SqliteTransparencyLog implements TransparencyLog {
    private final Database db;
    /** The tree on disk, for appending inside a transaction: it sees that transaction's own earlier appends. */
    private final MerkleTree durable;
    /** The committed tree in memory: what proofs and heads are made from. */
    private final MerkleTree tree = new MerkleTree();

    private SqliteTransparencyLog(Database db) {
        this.db = db;
        this.durable = new MerkleTree(new SqliteNodeStore(db));
    }

    /**
     * Loads the log of a migrated relay database into memory, checking that the stored subtree
     * hashes agree with the stored leaves. A log still empty while accounts exist (a database from
     * before schema 3) first gets one entry per account, oldest account first.
     *
     * @throws StoreException when the stored log is inconsistent or cannot be read
     */
    static SqliteTransparencyLog open(Database db) throws StoreException {
        SqliteTransparencyLog log = new SqliteTransparencyLog(db);
        log.load();
        if (log.size() == 0) {
            log.logExistingAccounts();
        }
        return log;
    }

    private void load() throws StoreException {
        db.read(c -> {
            PreparedStatement st = db.statement("SELECT idx, hash FROM log_nodes WHERE level = 0 ORDER BY idx");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) != tree.size()) {
                        throw new StoreException("the transparency log lacks leaf " + tree.size());
                    }
                    byte[] hash = rs.getBytes(2);
                    if (hash == null || hash.length != MerkleHash.LENGTH) {
                        throw new StoreException("the transparency log's leaf " + tree.size() + " is not a hash");
                    }
                    tree.appendLeafHash(hash);
                }
            }
            PreparedStatement leaves = db.statement("SELECT count(*), coalesce(max(idx) + 1, 0) FROM log_leaves");
            try (ResultSet rs = leaves.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != tree.size() || rs.getLong(2) != tree.size()) {
                    throw new StoreException("the transparency log has " + rs.getLong(1) + " entries for "
                            + tree.size() + " leaf hashes");
                }
            }
            try {
                if (!Arrays.equals(durable.root(), tree.root())) {
                    throw new StoreException("the transparency log's stored subtree hashes do not match its leaves");
                }
            } catch (SqliteNodeStore.Failure e) {
                throw e.getCause();
            } catch (IllegalStateException e) {
                throw new StoreException("the transparency log's subtree hashes are incomplete: " + e.getMessage());
            }
            return null;
        });
    }

    private void logExistingAccounts() throws StoreException {
        db.transaction(c -> {
            List<String> handles = new ArrayList<>();
            PreparedStatement st = db.statement("SELECT handle FROM accounts ORDER BY id");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    handles.add(rs.getString(1));
                }
            }
            for (String handle : handles) {
                append(handle);
            }
            return null;
        });
    }

    /**
     * Appends the handle's account key and device list, as the caller's transaction now has them,
     * as its next entry (version 1 for a handle never logged, else one more than its newest). Call
     * it inside the transaction that changed them, after the change: the entry commits or rolls
     * back with it, and only a commit reaches the tree in memory.
     */
    void append(String handle) throws SQLException, StoreException {
        if (!db.inTransaction()) {
            throw new IllegalStateException("log entries are appended inside the registration's transaction");
        }
        byte[] accountKey = null;
        byte[] signedList = null;
        Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
        PreparedStatement st = db.statement("SELECT a.account_key, d.device_id, d.device_key, a.device_list"
                + " FROM accounts a JOIN devices d ON d.account = a.id WHERE a.handle = ?");
        st.setString(1, handle);
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                accountKey = rs.getBytes(1);
                devices.put(rs.getInt(2), decodeDevice(rs.getBytes(3)));
                signedList = rs.getBytes(4);
            }
        }
        if (accountKey == null) {
            throw new StoreException("cannot log an account that does not exist or has no device");
        }
        long version = newest(handle).map(e -> e.entry().version() + 1).orElse(1L);
        LogEntry entry;
        try {
            entry = new LogEntry(handle, AccountIdentityKey.decode(accountKey), 
                    signedList != null ? DeviceListHash.ofSigned(signedList) : DeviceListHash.of(devices), version);
        } catch (MalformedDataException e) {
            throw new StoreException("a stored account key does not decode: " + e.getMessage(), e);
        }
        byte[] data = entry.serialize();
        long index;
        try {
            index = durable.append(data);
        } catch (SqliteNodeStore.Failure e) {
            throw e.getCause();
        }
        PreparedStatement insert = db.statement("INSERT INTO log_leaves (idx, handle, entry) VALUES (?, ?, ?)");
        insert.setLong(1, index);
        insert.setString(2, handle);
        insert.setBytes(3, data);
        insert.executeUpdate();
        byte[] leafHash = MerkleHash.leafHash(data);
        db.afterCommit(() -> committed(index, leafHash));
    }

    private static DeviceIdentityKey decodeDevice(byte[] encoded) throws StoreException {
        try {
            return DeviceIdentityKey.decode(encoded);
        } catch (MalformedDataException e) {
            throw new StoreException("a stored device key does not decode: " + e.getMessage(), e);
        }
    }

    /** After the commit of leaf {@code index}: the tree in memory follows, in commit order. */
    private void committed(long index, byte[] leafHash) {
        synchronized (tree) {
            if (tree.size() != index) {
                throw new IllegalStateException("the log in memory has " + tree.size() + " leaves, leaf " + index
                        + " committed");
            }
            tree.appendLeafHash(leafHash);
        }
    }

    /** The handle's newest entry in the database as the caller's transaction sees it. */
    private Optional<Indexed> newest(String handle) throws SQLException, StoreException {
        PreparedStatement st = db.statement("SELECT idx, entry FROM log_leaves WHERE handle = ? ORDER BY idx DESC LIMIT 1");
        st.setString(1, handle);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(indexed(rs)) : Optional.empty();
        }
    }

    @Override
    public long size() {
        return tree.size();
    }

    @Override
    public byte[] root(long size) {
        return tree.root(size);
    }

    @Override
    public InclusionProof inclusionProof(long index, long size) {
        return tree.inclusionProof(index, size);
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) {
        return tree.consistencyProof(size1, size2);
    }

    @Override
    public List<Indexed> entries(long from, long to) throws RelayStorageException {
        if (from < 0 || from > to || to > size()) {
            throw new IllegalArgumentException("entries " + from + " to " + to + " are not in a log of " + size());
        }
        return read(c -> {
            PreparedStatement st = db.statement("SELECT idx, entry FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx");
            st.setLong(1, from);
            st.setLong(2, to);
            List<Indexed> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(indexed(rs));
                }
            }
            if (out.size() != to - from) {
                throw new StoreException("the transparency log lacks entries between " + from + " and " + to);
            }
            return out;
        });
    }

    @Override
    public Optional<Indexed> newest(String handle, long size) throws RelayStorageException {
        return read(c -> {
            PreparedStatement st = db.statement(
                    "SELECT idx, entry FROM log_leaves WHERE handle = ? AND idx < ? ORDER BY idx DESC LIMIT 1");
            st.setString(1, handle);
            st.setLong(2, size);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(indexed(rs)) : Optional.empty();
            }
        });
    }

    private static Indexed indexed(ResultSet rs) throws SQLException, StoreException {
        try {
            return new Indexed(rs.getLong(1), LogEntry.decode(rs.getBytes(2)));
        } catch (MalformedDataException e) {
            throw new StoreException("the transparency log's entry " + rs.getLong(1) + " does not decode", e);
        }
    }

    private <T> T read(Database.SqlWork<T> work) throws RelayStorageException {
        try {
            return db.read(work);
        } catch (StoreException e) {
            throw new RelayStorageException("relay database read failed: " + e.getMessage(), e);
        }
    }
}
