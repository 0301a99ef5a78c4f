package dev.vouch.store;

import dev.vouch.store.crypto.BlindIndex;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.crypto.StoreKeys;
import dev.vouch.store.sqlite.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What every data-access class shares: the database, and the keys while the store is unlocked.
 * Each use of the keys counts as activity for the idle timeout.
 */
public final class StoreContext {
    private final Database database;
    private final Runnable onActivity;
    private volatile StoreKeys keys;

    StoreContext(Database database, Runnable onActivity) {
        this.database = database;
        this.onActivity = onActivity;
    }

    public Database database() {
        return database;
    }

    /** @throws StoreLockedException when the store is locked */
    public StoreKeys keys() throws StoreLockedException {
        StoreKeys current = keys;
        if (current == null || current.isDestroyed()) {
            throw new StoreLockedException();
        }
        onActivity.run();
        return current;
    }

    public FieldCipher.Column column(String table, String column) throws StoreLockedException {
        return keys().fieldCipher().column(table, column);
    }

    public BlindIndex blindIndex() throws StoreLockedException {
        return keys().blindIndex();
    }

    boolean unlocked() {
        StoreKeys current = keys;
        return current != null && !current.isDestroyed();
    }

    void install(StoreKeys newKeys) {
        keys = newKeys;
    }

    /** Drops and overwrites the keys. */
    void destroyKeys() {
        StoreKeys old = keys;
        keys = null;
        if (old != null) {
            old.destroy();
        }
    }

    /** The next free row id of {@code table}; call inside the write transaction that inserts it. */
    public static long nextId(Connection connection, String table) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
