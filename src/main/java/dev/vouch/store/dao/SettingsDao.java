package dev.vouch.store.dao;

import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Profile settings: names behind a blind index, values sealed (some hold identifiers, e.g. the
 * relay). The name is also kept sealed beside the value so that {@link #all()} can list settings
 * for an archive; rows from before schema 3 lack it until {@link #get} next reads them.
 */
public final class SettingsDao {
    private static final String TABLE = "settings";
    private final StoreContext context;

    /** One setting, as {@link #all()} lists it. */
    public record Setting(String name, String value) {
        @Override
        public String toString() {
            return "Setting[" + name + "]";
        }
    }

    /** What {@link #all()} found: the named settings, and how many rows had no name to list them by. */
    public record Listing(List<Setting> settings, int unnamed) {
    }

    public SettingsDao(StoreContext context) {
        this.context = context;
    }

    public Optional<String> get(String name) throws StoreException {
        byte[] index = index(name);
        FieldCipher.Column data = context.column(TABLE, "data");
        record Row(long id, byte[] value, boolean named) {
        }
        Optional<Row> row = context.database().read(connection -> {
            PreparedStatement st = context.database().statement(
                    "SELECT id, data, name IS NOT NULL FROM settings WHERE name_index = ?");
            st.setBytes(1, index);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Row(rs.getLong(1), data.open(rs.getLong(1), index, rs.getBytes(2)), rs.getBoolean(3)))
                        : Optional.empty();
            }
        });
        if (row.isPresent() && !row.get().named()) {
            nameRow(row.get().id(), index, name);
        }
        return row.map(r -> new String(r.value(), StandardCharsets.UTF_8));
    }

    public void put(String name, String value) throws StoreException {
        byte[] index = index(name);
        FieldCipher.Column data = context.column(TABLE, "data");
        FieldCipher.Column names = context.column(TABLE, "name");
        byte[] plain = value.getBytes(StandardCharsets.UTF_8);
        byte[] plainName = name.getBytes(StandardCharsets.UTF_8);
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
                        "INSERT INTO settings (id, name_index, data, name) VALUES (?, ?, ?, ?)");
                insert.setLong(1, id);
                insert.setBytes(2, index);
                insert.setBytes(3, data.seal(id, index, plain));
                insert.setBytes(4, names.seal(id, index, plainName));
                insert.executeUpdate();
            } else {
                PreparedStatement update = context.database().statement(
                        "UPDATE settings SET data = ?, name = ? WHERE id = ?");
                update.setBytes(1, data.seal(id, index, plain));
                update.setBytes(2, names.seal(id, index, plainName));
                update.setLong(3, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    public void remove(String name) throws StoreException {
        byte[] index = index(name);
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("DELETE FROM settings WHERE name_index = ?");
            st.setBytes(1, index);
            st.executeUpdate();
            return null;
        });
    }

    /** Every setting with its name, in row order, and the count of rows that lack a name. */
    public Listing all() throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        FieldCipher.Column names = context.column(TABLE, "name");
        return context.database().read(connection -> {
            List<Setting> out = new ArrayList<>();
            int unnamed = 0;
            PreparedStatement st = context.database().statement("SELECT id, name_index, data, name FROM settings ORDER BY id");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byte[] sealedName = rs.getBytes(4);
                    if (sealedName == null) {
                        unnamed++;
                        continue;
                    }
                    long id = rs.getLong(1);
                    byte[] index = rs.getBytes(2);
                    String name = new String(names.open(id, index, sealedName), StandardCharsets.UTF_8);
                    String value = new String(data.open(id, index, rs.getBytes(3)), StandardCharsets.UTF_8);
                    out.add(new Setting(name, value));
                }
            }
            return new Listing(List.copyOf(out), unnamed);
        });
    }

    private byte[] index(String name) throws StoreException {
        return context.blindIndex().of("setting", name);
    }

    private void nameRow(long id, byte[] index, String name) throws StoreException {
        FieldCipher.Column names = context.column(TABLE, "name");
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("UPDATE settings SET name = ? WHERE id = ? AND name IS NULL");
            st.setBytes(1, names.seal(id, index, name.getBytes(StandardCharsets.UTF_8)));
            st.setLong(2, id);
            st.executeUpdate();
            return null;
        });
    }
}
