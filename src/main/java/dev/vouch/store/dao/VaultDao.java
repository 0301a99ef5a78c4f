package dev.vouch.store.dao;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.NotAStoreException;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.Vault;
import dev.vouch.store.sqlite.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The single row that holds the wrapped data key and its KDF parameters. */
public final class VaultDao {
    private final Database database;

    public VaultDao(Database database) {
        this.database = database;
    }

    public Vault load() throws StoreException {
        return database.read(connection -> {
            PreparedStatement st = database.statement("SELECT format, kdf_memory_kib, kdf_iterations, kdf_parallelism,"
                    + " salt, wrapped_key FROM vault WHERE id = 1");
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new NotAStoreException(database.file() + " has no key record: it is not a complete Vouch profile");
                }
                Argon2id.Params params;
                try {
                    params = new Argon2id.Params(rs.getInt(2), rs.getInt(3), rs.getInt(4));
                } catch (IllegalArgumentException e) {
                    throw new NotAStoreException("the key record of " + database.file() + " is damaged");
                }
                return new Vault(rs.getInt(1), params, rs.getBytes(5), rs.getBytes(6));
            }
        });
    }

    public void save(Vault vault) throws StoreException {
        database.transaction(connection -> {
            PreparedStatement st = database.statement("INSERT OR REPLACE INTO vault (id, format, kdf_memory_kib,"
                    + " kdf_iterations, kdf_parallelism, salt, wrapped_key) VALUES (1, ?, ?, ?, ?, ?, ?)");
            st.setInt(1, vault.format());
            st.setInt(2, vault.params().memoryKiB());
            st.setInt(3, vault.params().iterations());
            st.setInt(4, vault.params().parallelism());
            st.setBytes(5, vault.salt());
            st.setBytes(6, vault.wrappedKey());
            st.executeUpdate();
            return null;
        });
    }
}
