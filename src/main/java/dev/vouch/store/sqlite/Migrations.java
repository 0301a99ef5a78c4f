package dev.vouch.store.sqlite;

import dev.vouch.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned SQL migrations, applied in order, each in its own transaction together with the new
 * {@code PRAGMA user_version}. A deliberately small runner (a full migration library would cost
 * start-up time on every unlock): files are {@code db/<schema>/V<n>__<name>.sql} on the classpath,
 * statements end with a semicolon at the end of a line.
 */
public final class Migrations {
    private final String folder;
    private final List<String> files;

    /** @param files the migration file names in version order: V1__..., V2__..., ... */
    public Migrations(String folder, List<String> files) {
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).startsWith("V" + (i + 1) + "__")) {
                throw new IllegalArgumentException("migration " + (i + 1) + " is misnamed: " + files.get(i));
            }
        }
        this.folder = folder;
        this.files = List.copyOf(files);
    }

    public int latest() {
        return files.size();
    }

    void apply(Database db, int current) throws StoreException {
        for (int version = current + 1; version <= latest(); version++) {
            List<String> statements = statements(files.get(version - 1));
            int target = version;
            db.transaction(connection -> {
                try (Statement st = connection.createStatement()) {
                    for (String sql : statements) {
                        st.execute(sql);
                    }
                    st.execute("PRAGMA user_version=" + target);
                }
                return null;
            });
        }
    }

    private List<String> statements(String file) {
        String resource = "/db/" + folder + "/" + file;
        String text;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("migration " + resource + " ends without a semicolon");
        }
        return out;
    }
}
