package dev.vouch.store.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.search.SearchService.Options;
import dev.vouch.store.search.SearchService.Origin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A snapshot altered at rest is never used: it is refused, deleted, and the index rebuilt from
 * the messages, whose answers are then the true ones.
 */
class SnapshotTamperTest {
    private static final int HEADER = 37;
    private static final int NONCE = 12;
    private static final Options SMALL = new Options(256, 10_000, 2_000, 64, 16, 10_000, 50);

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    enum Tamper {
        /** one ciphertext bit flipped */
        FLIP_CIPHERTEXT("fails authentication"),
        /** the last bytes of a chunk cut off */
        TRUNCATE_CHUNK("wrong length"),
        /** the last chunk deleted */
        DROP_LAST_CHUNK("chunks, expected"),
        /** a middle chunk deleted and the rest renumbered */
        DROP_MIDDLE_CHUNK("chunks, expected"),
        /** two whole rows swapped */
        SWAP_ROWS("out of place"),
        /** the sealed bodies of two chunks swapped under their own headers */
        SWAP_BODIES("fails authentication"),
        /** a chunk's header claims another position, the body follows it */
        RELABEL_AND_SWAP("fails authentication"),
        /** a chunk taken from an older snapshot of the same store (same key) */
        MIX_OLDER_SNAPSHOT("out of place"),
        /** an older snapshot's body under the current header */
        MIX_OLDER_BODY("fails authentication"),
        /** the header's covered id changed in every row */
        CHANGE_COVERED_ID("fails authentication"),
        /** the newest message row removed: the snapshot no longer matches the table */
        DELETE_COVERED_MESSAGE("fails authentication"),
        /** the snapshot rows replaced by garbage of the right shape */
        GARBAGE("fails authentication");

        final String reason;

        Tamper(String reason) {
            this.reason = reason;
        }
    }

    @ParameterizedTest
    @EnumSource(Tamper.class)
    void aTamperedSnapshotIsRefusedAndTheIndexRebuilt(Tamper tamper) throws Exception {
        List<byte[]> older = null;
        List<Long> lunch = new ArrayList<>();
        try (ProfileStore store = ProfileStore.create(dir, SearchServiceTest.PASSPHRASE, SearchServiceTest.FAST,
                Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            SearchService search = SearchService.attach(store, executor, SMALL);
            for (int i = 0; i < 80; i++) {
                long id = insert(store, c, i, i % 4 == 0 ? "lunch " + i : "other words " + i);
                if (i % 4 == 0) {
                    lunch.add(0, id);
                }
                if (i == 40) {
                    assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
                    assertThat(search.persistNow()).isTrue();
                    older = rows(store);
                }
            }
            assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(search.persistNow()).isTrue();
            assertThat(rows(store).size()).isGreaterThanOrEqualTo(4);
        }
        apply(tamper, older);
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            SearchService search = SearchService.attach(store, executor, SMALL);
            store.unlock(SearchServiceTest.PASSPHRASE);
            assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.REBUILT_AFTER_REJECTED_SNAPSHOT);
            assertThat(search.state().detail()).contains(tamper.reason);
            assertThat(SearchServiceTest.ids(search.search("lunch", 100))).isEqualTo(lunch);
            assertThat(search.persistNow()).isTrue();
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            SearchService search = SearchService.attach(store, executor, SMALL);
            store.unlock(SearchServiceTest.PASSPHRASE);
            assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(search.state().origin()).as("the rewritten snapshot is good").isEqualTo(Origin.SNAPSHOT);
            assertThat(SearchServiceTest.ids(search.search("lunch", 100))).isEqualTo(lunch);
        }
    }

    @Test
    void anUntamperedSnapshotIsUsed() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, SearchServiceTest.PASSPHRASE, SearchServiceTest.FAST,
                Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            for (int i = 0; i < 80; i++) {
                insert(store, c, i, "lunch " + i);
            }
            SearchService search = SearchService.attach(store, executor, SMALL);
            assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(search.persistNow()).isTrue();
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            SearchService search = SearchService.attach(store, executor, SMALL);
            store.unlock(SearchServiceTest.PASSPHRASE);
            assertThat(search.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.SNAPSHOT);
            assertThat(search.state().done()).isZero();
            assertThat(search.search("lunch", 100).total()).isEqualTo(80);
        }
    }

    private static long insert(ProfileStore store, long conversation, int i, String text) throws StoreException {
        return store.messages().insert(new NewMessage(conversation, ("m" + i).getBytes(StandardCharsets.UTF_8),
                MessageStatus.READ, SearchServiceTest.text(text))).orElseThrow();
    }

    private static List<byte[]> rows(ProfileStore store) throws StoreException {
        return store.context().database().read(connection -> {
            List<byte[]> out = new ArrayList<>();
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT data FROM search_snapshot ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
        });
    }

    private void apply(Tamper tamper, List<byte[]> older) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE))) {
            List<byte[]> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT data FROM search_snapshot ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getBytes(1));
                }
            }
            int n = rows.size();
            switch (tamper) {
                case FLIP_CIPHERTEXT -> {
                    byte[] r = rows.get(1);
                    r[HEADER + NONCE + 5] ^= 1;
                    put(c, 2, r);
                }
                case TRUNCATE_CHUNK -> put(c, 2, Arrays.copyOf(rows.get(1), rows.get(1).length - 10));
                case DROP_LAST_CHUNK -> exec(c, "DELETE FROM search_snapshot WHERE id = " + n);
                case DROP_MIDDLE_CHUNK -> {
                    exec(c, "DELETE FROM search_snapshot WHERE id = 2");
                    exec(c, "UPDATE search_snapshot SET id = id - 1 WHERE id > 2");
                }
                case SWAP_ROWS -> {
                    put(c, 2, rows.get(2));
                    put(c, 3, rows.get(1));
                }
                case SWAP_BODIES -> {
                    put(c, 2, withBody(rows.get(1), rows.get(2)));
                    put(c, 3, withBody(rows.get(2), rows.get(1)));
                }
                case RELABEL_AND_SWAP -> {
                    // swap two chunks and rewrite their clear-text positions to match
                    put(c, 2, relabel(rows.get(2), 1));
                    put(c, 3, relabel(rows.get(1), 2));
                }
                case MIX_OLDER_SNAPSHOT -> put(c, 2, older.get(1));
                case MIX_OLDER_BODY -> put(c, 2, withBody(rows.get(1), older.get(1)));
                case CHANGE_COVERED_ID -> {
                    for (int i = 0; i < n; i++) {
                        byte[] r = rows.get(i);
                        r[HEADER - 1] ^= 1;
                        put(c, i + 1, r);
                    }
                }
                case DELETE_COVERED_MESSAGE -> // the newest message (not a lunch one)
                        exec(c, "DELETE FROM messages WHERE id = (SELECT MAX(id) FROM messages)");
                case GARBAGE -> {
                    for (int i = 0; i < n; i++) {
                        byte[] r = rows.get(i);
                        byte[] g = new byte[r.length];
                        System.arraycopy(r, 0, g, 0, HEADER);
                        new java.util.Random(i).nextBytes(g);
                        System.arraycopy(r, 0, g, 0, HEADER);
                        put(c, i + 1, g);
                    }
                }
                default -> throw new AssertionError(tamper);
            }
        }
    }

    /** The row with the chunk index in its clear-text header set to {@code index}. */
    private static byte[] relabel(byte[] row, int index) {
        byte[] out = row.clone();
        java.nio.ByteBuffer.wrap(out).putInt(17, index);
        return out;
    }

    /** {@code header}'s header with {@code body}'s nonce, ciphertext and tag. */
    private static byte[] withBody(byte[] header, byte[] body) {
        byte[] out = body.clone();
        System.arraycopy(header, 0, out, 0, HEADER);
        return out;
    }

    private static void put(Connection c, long id, byte[] data) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE search_snapshot SET data = ? WHERE id = ?")) {
            st.setBytes(1, data);
            st.setLong(2, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
