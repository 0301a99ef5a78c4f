package dev.vouch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.IncompatibleStoreException;
import dev.vouch.store.StoreException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    private static final Migrations V1 = new Migrations("migrationtest", List.of("V1__create.sql"));
    private static final Migrations V2 = new Migrations("migrationtest", List.of("V1__create.sql", "V2__add_column.sql"));
    private static final Migrations V3_BROKEN = new Migrations("migrationtest",
            List.of("V1__create.sql", "V2__add_column.sql", "V3__broken.sql"));

    @TempDir
    Path dir;

    @Test
    void upgradesAnOldDatabaseKeepingItsRows() throws Exception {
        Path file = dir.resolve("db");
        try (Database db = Database.open(file, true, V1)) {
            db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO notes (id, text) VALUES (1, 'kept')");
                }
                return null;
            });
            int version = db.read(c -> db.userVersion());
            assertThat(version).isEqualTo(1);
        }
        try (Database db = Database.open(file, false, V2)) {
            int version = db.read(c -> db.userVersion());
            assertThat(version).isEqualTo(2);
            String row = db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT text, pinned FROM notes")) {
                    rs.next();
                    return rs.getString(1) + "/" + rs.getInt(2);
                }
            });
            assertThat(row).isEqualTo("kept/0");
        }
    }

    @Test
    void aFailingMigrationRollsBackToTheLastGoodVersion() throws Exception {
        Path file = dir.resolve("db");
        Database.open(file, true, V2).close();
        assertThatThrownBy(() -> Database.open(file, false, V3_BROKEN)).isInstanceOf(StoreException.class);
        try (Database db = Database.open(file, false, V2)) {
            int version = db.read(c -> db.userVersion());
            assertThat(version).isEqualTo(2);
            int columns = db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(notes)")) {
                    int count = 0;
                    while (rs.next()) {
                        count++;
                    }
                    return count;
                }
            });
            assertThat(columns).as("the half-applied V3 left no column behind").isEqualTo(3);
        }
    }

    @Test
    void anOlderBuildRefusesANewerDatabase() throws Exception {
        Path file = dir.resolve("db");
        Database.open(file, true, V2).close();
        assertThatThrownBy(() -> Database.open(file, false, V1)).isInstanceOf(IncompatibleStoreException.class);
    }

    @Test
    void misnamedMigrationListsAreRejected() {
        assertThatThrownBy(() -> new Migrations("migrationtest", List.of("V2__add_column.sql")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
