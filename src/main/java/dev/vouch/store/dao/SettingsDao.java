package dev.vouch.store.dao;

import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Profile settings: names behind a blind index, values sealed (some hold identifiers, e.g. the relay). */
public final class SettingsDao {
    private static final String TABLE = "settings";
    private final StoreContext context;

    public SettingsDao(StoreContext context) {
        this.context = context;
    }

    public Optional<String> get(String name) throws StoreException {
        byte[] index = context.blindIndex().of("setting", name);
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT id, data FROM settings WHERE name_index = ?");
            st.setBytes(1, index);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next()
                        ? Optional.of(new String(data.open(rs.getLong(1), index, rs.getBytes(2)), StandardCharsets.UTF_8))
                        : Optional.empty();
            }
        });
    }

    public void put(String name, String value) throws StoreException {
        byte[] index = context.blindIndex().of("setting", name);
        FieldCipher.Column data = context.column(TABLE, "data");
        byte[] plain = value.getBytes(StandardCharsets.UTF_8);
        context.database().transaction(connection -> {
            PreparedStatement find = context.database().statement("SELECT id FROM settings WHERE name_index = ?");
            find.setBytes(1, index);
            long id;
            try (ResultSet rs = find.executeQuery()) {
                id = rs.next() ? rs.getLong(1) : -1;
            }
            if (id < 0) {
                id = StoreContext.nextId(connection, TABLE);
                PreparedStatement insert = context.database().statement(
                        "INSERT INTO settings (id, name_index, data) VALUES (?, ?, ?)");
                insert.setLong(1, id);
                insert.setBytes(2, index);
                insert.setBytes(3, data.seal(id, index, plain));
                insert.executeUpdate();
            } else {
                PreparedStatement update = context.database().statement("UPDATE settings SET data = ? WHERE id = ?");
                update.setBytes(1, data.seal(id, index, plain));
                update.setLong(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    public void remove(String name) throws StoreException {
        byte[] index = context.blindIndex().of("setting", name);
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("DELETE FROM settings WHERE name_index = ?");
            st.setBytes(1, index);
            st.executeUpdate();
            return null;
        });
    }
}
