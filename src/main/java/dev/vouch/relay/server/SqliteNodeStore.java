package dev.vouch.relay.server;

import dev.vouch.store.sqlite.Database;
import dev.vouch.transparency.merkle.MerkleHash;
import dev.vouch.transparency.merkle.NodeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The log tree's {@link NodeStore} in the relay database's {@code log_nodes} table. Every call
 * must run inside a transaction (or read) of {@code db} that the caller holds: an append then
 * commits, or rolls back, with the registration that caused it. SQL failures surface as
 * {@link Failure}, which {@link SqliteTransparencyLog} turns back into the {@link SQLException}.
 */
final class SqliteNodeStore implements NodeStore {
    private final Database db;

    SqliteNodeStore(Database db) {
        this.db = db;
    }

    @Override
    public long size() {
        try {
            PreparedStatement st = db.statement("SELECT coalesce(max(idx) + 1, 0) FROM log_nodes WHERE level = 0");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    @Override
    public byte[] node(int level, long index) {
        try {
            PreparedStatement st = db.statement("SELECT hash FROM log_nodes WHERE level = ? AND idx = ?");
            st.setInt(1, level);
            st.setLong(2, index);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the log has no node (" + level + ", " + index + ")");
                }
                byte[] hash = rs.getBytes(1);
                if (hash == null || hash.length != MerkleHash.LENGTH) {
                    throw new IllegalStateException("the log's node (" + level + ", " + index + ") is not a hash");
                }
                return hash;
            }
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void append(byte[][] hashes) {
        try {
            long leaf = size();
            PreparedStatement st = db.statement("INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)");
            for (int level = 0; level < hashes.length; level++) {
                st.setInt(1, level);
                st.setLong(2, leaf >>> level);
                st.setBytes(3, hashes[level]);
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** An {@link SQLException} through the {@link NodeStore} interface, which declares none. */
    static final class Failure extends RuntimeException {
        Failure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
