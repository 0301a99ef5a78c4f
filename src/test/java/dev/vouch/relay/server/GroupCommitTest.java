package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.StoreException;
import dev.vouch.store.sqlite.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes committed together: each caller returns after its commit, and a failing unit takes only itself back. */
class GroupCommitTest {
    @TempDir
    Path dir;
    Database db;
    GroupCommit writes;
    final ExecutorService callers = Executors.newFixedThreadPool(8);

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("relay.db"), true, SqliteRelayStorage.MIGRATIONS);
        writes = new GroupCommit(db, "test-writer");
    }

    @AfterEach
    void close() throws Exception {
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        writes.close();
        db.close();
    }

    private Integer insertAccount(String handle) throws SQLException {
        PreparedStatement st = db.statement("INSERT INTO accounts (handle, account_key, created_at) VALUES (?, x'01', 0)");
        st.setString(1, handle);
        return st.executeUpdate();
    }

    private List<String> handles() throws StoreException {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = db.statement("SELECT handle FROM accounts ORDER BY handle").executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Test
    void writesQueuedTogetherShareOneTransactionAndAFailingOneIsRolledBackAlone() throws Exception {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Holds the writer inside its transaction, so the next writes queue up and go in one batch.
        Future<Integer> first = callers.submit(() -> writes.write(c -> {
            writerHeld.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return insertAccount("first");
        }));
        assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<Integer>> queued = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        for (String handle : List.of("a", "b", "c")) {
            queued.add(callers.submit(() -> {
                started.incrementAndGet();
                return writes.write(c -> insertAccount(handle));
            }));
        }
        Future<Integer> failing = callers.submit(() -> writes.write(c -> {
            insertAccount("rolled-back");
            throw new SQLException("this unit fails after writing");
        }));
        Future<Integer> duplicate = callers.submit(() -> writes.write(c -> insertAccount("first")));
        while (started.get() < 3) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // let the callers reach the queue
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (Future<Integer> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("this unit fails after writing");
        assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("UNIQUE");
        assertThat(handles()).containsExactly("a", "b", "c", "first");
    }

    @Test
    void manyConcurrentWritersAllCommit() throws Exception {
        List<Future<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String handle = "h" + i;
            all.add(callers.submit(() -> writes.write(c -> insertAccount(handle))));
        }
        for (Future<Integer> f : all) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(handles()).hasSize(400);
    }

    @Test
    void aWriteAfterCloseFails() {
        writes.close();
        assertThatThrownBy(() -> writes.write(c -> insertAccount("late"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }
}
