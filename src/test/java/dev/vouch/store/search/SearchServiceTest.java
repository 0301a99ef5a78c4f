package dev.vouch.store.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.StoreLockedException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.search.SearchService.Options;
import dev.vouch.store.search.SearchService.Origin;
import dev.vouch.store.search.SearchService.Phase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchServiceTest {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Small chunks so even a small index spans several rows. */
    static final Options SMALL = new Options(256, 10_000, 2_000, 64, 16, 10_000, 7);

    @TempDir
    Path dir;

    private final List<ExecutorService> executors = new ArrayList<>();
    private final AtomicInteger uid = new AtomicInteger();

    @AfterEach
    void stopExecutors() throws InterruptedException {
        for (ExecutorService e : executors) {
            e.shutdownNow();
            e.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    ExecutorService background() {
        ExecutorService e = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "search-test");
            t.setDaemon(true);
            return t;
        });
        executors.add(e);
        return e;
    }

    static MessageBody text(String text) {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        return MessageBody.text(Direction.INCOMING, "bob", 1, t, t, text);
    }

    long insert(ProfileStore store, String peer, String text) throws StoreException {
        long c = store.conversations().open(peer);
        return store.messages().insert(new NewMessage(c, ("u" + uid.incrementAndGet()).getBytes(StandardCharsets.UTF_8),
                MessageStatus.READ, text(text))).orElseThrow();
    }

    static List<Long> ids(SearchResult result) {
        return result.hits().stream().map(SearchHit::messageId).toList();
    }

    /** A store with some history, closed; returns the ids of the messages containing "lunch". */
    List<Long> seed(int count) throws StoreException {
        List<Long> lunch = new ArrayList<>();
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            for (int i = 0; i < count; i++) {
                String peer = "peer" + (i % 3);
                String text = i % 10 == 0 ? "lunch at noon #" + i : "message number " + i + " about nothing";
                long id = insert(store, peer, text);
                if (i % 10 == 0) {
                    lunch.add(0, id);
                }
            }
        }
        return lunch;
    }

    ProfileStore openLocked() throws StoreException {
        return ProfileStore.open(dir, Clock.systemUTC());
    }

    @Test
    void buildsInTheBackgroundAfterUnlockThenFindsAndPersists() throws Exception {
        List<Long> lunch = seed(120);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            assertThat(search.state().phase()).isEqualTo(Phase.LOCKED);
            assertThatThrownBy(() -> search.search("lunch", 10)).isInstanceOf(StoreLockedException.class);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.BUILT);
            assertThat(search.state().done()).isEqualTo(120);
            SearchResult result = search.search("lunch", 100);
            assertThat(result.complete()).isTrue();
            assertThat(ids(result)).isEqualTo(lunch);
            assertThat(result.total()).isEqualTo(12);
            // written in the background after READY, without anyone asking
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (search.snapshots().chunkCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(search.snapshots().chunkCount()).isGreaterThan(1);
        }
    }

    @Test
    void theNextUnlockLoadsTheSnapshotAndIndexesOnlyNewerMessages() throws Exception {
        List<Long> lunch = seed(60);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.BUILT);
            assertThat(search.persistNow()).isTrue(); // do not race the background write with close
        }
        long newer;
        try (ProfileStore store = openLocked()) {
            store.unlock(PASSPHRASE); // no search attached: these are not indexed now
            insert(store, "peer1", "older text");
            newer = insert(store, "peer2", "lunch tomorrow?");
        }
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.SNAPSHOT);
            assertThat(search.state().total()).isEqualTo(2); // only the catch-up
            assertThat(search.state().done()).isEqualTo(2);
            List<Long> expected = new ArrayList<>(lunch);
            expected.add(0, newer);
            assertThat(ids(search.search("lunch", 100))).isEqualTo(expected);
        }
    }

    @Test
    void newMessagesAreSearchableAsSoonAsTheyAreStored() throws Exception {
        seed(5);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            long one = insert(store, "carol", "Kumquat season");
            assertThat(ids(search.search("kumquat", 10))).containsExactly(one);
            long c = store.conversations().open("dave");
            store.messages().insertAll(List.of(
                    new NewMessage(c, new byte[] {1}, MessageStatus.READ, text("kumquats in bulk")),
                    new NewMessage(c, new byte[] {2}, MessageStatus.READ, text("more kumquat"))));
            assertThat(search.search("kumquat", 10).total()).isEqualTo(3);
            assertThat(search.search("kumquat", c, 10).total()).isEqualTo(2);
        }
    }

    @Test
    void rowsImportedInBulkAreSearchableOnceTheTableIsReadBack() throws Exception {
        seed(5);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            List<SearchService.State> states = new java.util.concurrent.CopyOnWriteArrayList<>();
            search.addStateListener(states::add);
            long c = store.conversations().open("importer");
            // Several batches in one transaction, as an archive import runs them; none is handed over row by row.
            store.context().database().transaction(connection -> {
                for (int batch = 0; batch < 3; batch++) {
                    List<NewMessage> rows = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        rows.add(new NewMessage(c, ("bulk " + batch + " " + i).getBytes(StandardCharsets.UTF_8),
                                MessageStatus.READ, text("imported persimmon " + batch + " " + i)));
                    }
                    assertThat(store.messages().importAll(rows)).isEqualTo(40);
                }
                return null;
            });
            long live = insert(store, "carol", "a persimmon typed meanwhile");
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(states).extracting(SearchService.State::phase).contains(SearchService.Phase.BUILDING);
            assertThat(search.search("persimmon", 200).total()).isEqualTo(121);
            assertThat(ids(search.search("meanwhile", 10))).containsExactly(live);
        }
    }

    @Test
    void aRolledBackInsertIsNotIndexed() throws Exception {
        seed(3);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            long c = store.conversations().open("erin");
            assertThatThrownBy(() -> store.context().database().transaction(connection -> {
                store.messages().insert(new NewMessage(c, new byte[] {7}, MessageStatus.READ, text("phantom words")));
                throw new StoreException("rolled back on purpose");
            })).hasMessageContaining("on purpose");
            assertThat(search.search("phantom", 10).total()).isZero();
            long covered = search.currentIndex().coveredUpTo();
            long real = insert(store, "erin", "real words");
            assertThat(real).isGreaterThan(covered);
            assertThat(ids(search.search("words", 10))).containsExactly(real);
        }
    }

    /** Runs queued tasks only when told to, so a test can act between unlock and the build. */
    static final class ManualExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }
    }

    @Test
    void unlockOnlySchedulesTheWorkAndMessagesStoredMeanwhileAreIndexed() throws Exception {
        seed(20);
        for (int limit : new int[] {10_000, 2}) { // the second overflows the pending queue: a rescan picks them up
            try (ProfileStore store = openLocked()) {
                ManualExecutor manual = new ManualExecutor();
                Options options = new Options(256, 10_000, 2_000, 64, 16, limit, 7);
                SearchService search = SearchService.attach(store, manual, options);
                store.unlock(PASSPHRASE);
                assertThat(search.state().phase()).isEqualTo(Phase.LOADING);
                SearchResult early = search.search("lunch", 10);
                assertThat(early.complete()).isFalse();
                assertThat(early.hits()).isEmpty();
                List<Long> fresh = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    fresh.add(0, insert(store, "frank", "grapefruit" + limit + " " + i));
                }
                manual.runAll();
                assertThat(search.state().phase()).isEqualTo(Phase.READY);
                assertThat(ids(search.search("grapefruit" + limit + " ", 10))).isEqualTo(fresh);
                assertThat(search.search("lunch", 10).total()).isEqualTo(2);
            }
        }
    }

    @Test
    void lockingDropsAndWipesTheIndexAndUnlockingBringsItBack() throws Exception {
        seed(30);
        try (ProfileStore store = openLocked()) {
            List<SearchService.State> seen = new CopyOnWriteArrayList<>();
            SearchService search = SearchService.attach(store, background(), SMALL);
            search.addStateListener(seen::add);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            SearchIndex index = search.currentIndex();
            assertThat(index.compressedTerms()).contains("lunch");
            assertThat(search.persistNow()).isTrue(); // the background write may still be running
            Segment segment = segmentOf(index);
            store.lock();
            assertThat(search.state().phase()).isEqualTo(Phase.LOCKED);
            assertThat(search.currentIndex()).isNull();
            assertThat(index.isDestroyed()).isTrue();
            assertThat(segment.termBytes).containsOnly((byte) 0);
            assertThat(index.compressedTerms()).isEmpty();
            assertThatThrownBy(() -> search.search("lunch", 10)).isInstanceOf(StoreLockedException.class);
            assertThat(search.awaitReady(Duration.ofMillis(10))).isFalse();

            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.SNAPSHOT);
            assertThat(search.search("lunch", 10).total()).isEqualTo(3);
            // listeners hear of READY just after awaitReady can see it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.get(seen.size() - 1).phase() != Phase.READY && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(seen).extracting(SearchService.State::phase)
                    .containsSubsequence(Phase.LOADING, Phase.BUILDING, Phase.READY, Phase.LOCKED, Phase.LOADING,
                            Phase.READY);
        }
    }

    @Test
    void aLockDuringTheBuildCancelsIt() throws Exception {
        seed(200);
        try (ProfileStore store = openLocked()) {
            ManualExecutor manual = new ManualExecutor();
            SearchService search = SearchService.attach(store, manual, SMALL);
            store.unlock(PASSPHRASE);
            List<SearchIndex> built = new ArrayList<>();
            search.addStateListener(s -> {
                if (s.phase() == Phase.BUILDING && built.isEmpty()) {
                    built.add(search.currentIndex());
                    store.lock(); // locks from inside the build, as the idle timeout could
                }
            });
            manual.runAll();
            assertThat(search.state().phase()).isEqualTo(Phase.LOCKED);
            assertThat(built).hasSize(1);
            assertThat(built.get(0).isDestroyed()).isTrue();
            assertThat(search.snapshots()).isNotNull();
            store.unlock(PASSPHRASE);
            manual.runAll();
            assertThat(search.state().phase()).isEqualTo(Phase.READY);
            assertThat(search.search("lunch", 100).total()).isEqualTo(20);
        }
    }

    @Test
    void theSnapshotHoldsNoPlaintext() throws Exception {
        String word = "xylophonequartz";
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                insert(store, "gina", "the " + word + " number " + i);
            }
            SearchService search = SearchService.attach(store, background(), SearchService.Options.DEFAULTS);
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.search(word, 100).total()).isEqualTo(50);
            assertThat(search.persistNow()).isTrue();
            assertThat(search.snapshots().chunkCount()).isEqualTo(1);
            // the plaintext index would contain the word: check the serialized form does
            Bytes plain = new Bytes(1024);
            search.currentIndex().writeTo(plain);
            assertThat(contains(plain.toArray(), word.getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        byte[] needle = word.getBytes(StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(contains(Files.readAllBytes(file), needle)).as(file.getFileName().toString()).isFalse();
        }
        long snapshotBytes = rawSnapshotBytes();
        assertThat(snapshotBytes).isGreaterThan(SnapshotStore.DEFAULT_CHUNK_SIZE); // one whole padded chunk
    }

    @Test
    void rebuildStartsOverWithoutTheSnapshot() throws Exception {
        seed(40);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            search.rebuild();
            assertThat(search.awaitReady(WAIT)).isTrue();
            assertThat(search.state().origin()).isEqualTo(Origin.BUILT);
            assertThat(search.state().done()).isEqualTo(40);
            assertThat(search.search("lunch", 100).total()).isEqualTo(4);
        }
    }

    @Test
    void closingStopsFollowingTheStore() throws Exception {
        seed(3);
        try (ProfileStore store = openLocked()) {
            SearchService search = SearchService.attach(store, background(), SMALL);
            store.unlock(PASSPHRASE);
            assertThat(search.awaitReady(WAIT)).isTrue();
            SearchIndex index = search.currentIndex();
            search.close();
            assertThat(index.isDestroyed()).isTrue();
            insert(store, "hank", "after close");
            store.lock();
            store.unlock(PASSPHRASE);
            assertThat(search.state().phase()).isEqualTo(Phase.LOCKED);
        }
    }

    long rawSnapshotBytes() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM search_snapshot")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static Segment segmentOf(SearchIndex index) {
        try {
            var field = SearchIndex.class.getDeclaredField("frozen");
            field.setAccessible(true);
            return (Segment) field.get(index);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
