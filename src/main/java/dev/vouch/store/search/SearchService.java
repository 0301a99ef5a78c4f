package dev.vouch.store.search;

import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.StoreLockedException;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Message search for one profile store: owns the {@link SearchIndex} while the store is unlocked.
 *
 * <p>After every unlock it loads the sealed snapshot (see {@link SnapshotStore}) in the
 * background on the given executor, indexes the messages newer than the snapshot, and is then
 * {@link Phase#READY}; without a usable snapshot it builds the index from every message. A
 * snapshot that fails authentication or does not parse is deleted and the index rebuilt: it is
 * never trusted. New messages are indexed as their transaction commits. The snapshot is rewritten
 * after a build, after a long catch-up, and every {@link Options#persistEvery} new messages.
 *
 * <p>Locking the store drops the index and overwrites its compressed terms; unlocking starts over
 * from the snapshot. Nothing here ever delays unlocking: unlock only schedules the work.
 */
public final class SearchService implements AutoCloseable {
    /** Where the service is. */
    public enum Phase {
        /** The store is locked: no index in memory. */
        LOCKED,
        /** Reading the snapshot; queries return nothing yet. */
        LOADING,
        /** Indexing messages (all of them, or those newer than the snapshot); queries see a part. */
        BUILDING,
        /** Every stored message is indexed and new ones are indexed as they are stored. */
        READY,
        /** Building failed (e.g. a database error); {@link #rebuild()} tries again. */
        FAILED
    }

    /** How the index in memory came to be. */
    public enum Origin {
        /** Not known yet. */
        NONE,
        /** Built from every message: there was no snapshot (or a rebuild was asked for). */
        BUILT,
        /** Loaded from the snapshot, then caught up with newer messages. */
        SNAPSHOT,
        /** The snapshot was refused (authentication or format), deleted, and the index rebuilt. */
        REBUILT_AFTER_REJECTED_SNAPSHOT
    }

    /**
     * The state: in {@link Phase#BUILDING}, {@code done} of {@code total} messages indexed.
     * {@code detail} says why a snapshot was refused or a build failed, or is empty.
     */
    public record State(Phase phase, long done, long total, Origin origin, String detail) {
        static final State LOCKED = new State(Phase.LOCKED, 0, 0, Origin.NONE, "");
    }

    /** Tuning; {@link #DEFAULTS} suits real use, tests shrink the sizes. */
    public record Options(int chunkSize, int persistEvery, int persistAfterCatchUp, int buildCompactEvery,
                          int liveCompactEvery, int pendingLimit, int pageSize) {
        public static final Options DEFAULTS = new Options(SnapshotStore.DEFAULT_CHUNK_SIZE, 10_000, 2_000, 65_536,
                8_192, 10_000, 1_000);
    }

    private final ProfileStore store;
    private final Executor executor;
    private final Options options;
    private final SnapshotStore snapshots;
    private final MessageDao.InsertListener insertListener = new MessageDao.InsertListener() {
        @Override
        public void inserted(List<StoredMessage> messages) {
            onInserted(messages);
        }

        @Override
        public void insertedInBulk() {
            onBulkInserted();
        }
    };
    private final List<Consumer<State>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean persistQueued = new AtomicBoolean();
    private final AtomicBoolean compactQueued = new AtomicBoolean();

    private final Object monitor = new Object();
    private volatile long generation;
    private volatile SearchIndex index;
    private volatile State state = State.LOCKED;
    private final List<StoredMessage> pending = new ArrayList<>();
    private boolean pendingOverflowed;
    private int sincePersist;
    private boolean closed;

    private SearchService(ProfileStore store, Executor executor, Options options) {
        this.store = store;
        this.executor = executor;
        this.options = options;
        this.snapshots = new SnapshotStore(store.context(), options.chunkSize());
    }

    /** Attaches search to {@code store}; if the store is unlocked, loading starts now. */
    public static SearchService attach(ProfileStore store, Executor executor) {
        return attach(store, executor, Options.DEFAULTS);
    }

    public static SearchService attach(ProfileStore store, Executor executor, Options options) {
        SearchService service = new SearchService(store, executor, options);
        store.messages().addInsertListener(service.insertListener);
        store.addLockListener(service::onLocked);
        store.addUnlockListener(service::onUnlocked);
        if (!store.isLocked()) {
            service.onUnlocked();
        }
        return service;
    }

    public State state() {
        return state;
    }

    /** Told of every state change, on the thread that made it (a background thread, usually). */
    public void addStateListener(Consumer<State> listener) {
        stateListeners.add(listener);
    }

    /** Waits until {@link Phase#READY}; false on timeout, failure, or when the store is locked. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (true) {
                Phase phase = state.phase();
                if (phase == Phase.READY) {
                    return true;
                }
                if (phase == Phase.FAILED || phase == Phase.LOCKED) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Matches in every conversation, newest first; see {@link Tokenizer} for what matches. */
    public SearchResult search(String query, int limit) throws StoreLockedException {
        return run(query, Long.MIN_VALUE, limit);
    }

    /** Matches in one conversation, newest first. */
    public SearchResult search(String query, long conversationId, int limit) throws StoreLockedException {
        return run(query, conversationId, limit);
    }

    private SearchResult run(String query, long conversation, int limit) throws StoreLockedException {
        State current = state;
        SearchIndex idx = index;
        if (current.phase() == Phase.LOCKED || store.isLocked()) {
            throw new StoreLockedException();
        }
        if (idx == null) {
            return new SearchResult(List.of(), 0, false);
        }
        try {
            SearchResult result = idx.search(Tokenizer.queryTerms(query), conversation, limit);
            return result.withComplete(current.phase() == Phase.READY);
        } catch (IllegalStateException e) {
            throw new StoreLockedException(); // dropped by a concurrent lock
        }
    }

    /**
     * Writes the snapshot now (e.g. before the app quits) if the index is ready; returns whether
     * it did. Runs on the calling thread.
     */
    public boolean persistNow() throws StoreException {
        long gen = generation;
        return state.phase() == Phase.READY && persist(gen);
    }

    /** Deletes the snapshot and rebuilds the index from every message, in the background. */
    public void rebuild() throws StoreLockedException {
        if (store.isLocked()) {
            throw new StoreLockedException();
        }
        start(true);
    }

    /** The index currently searched (tests only). */
    SearchIndex currentIndex() {
        return index;
    }

    SnapshotStore snapshots() {
        return snapshots;
    }

    /** Stops following the store and drops the index. */
    @Override
    public void close() {
        store.messages().removeInsertListener(insertListener);
        synchronized (monitor) {
            closed = true;
        }
        onLocked();
    }

    // ---- lifecycle ----

    private void onUnlocked() {
        synchronized (monitor) {
            Phase phase = state.phase();
            if (closed || (phase != Phase.LOCKED && phase != Phase.FAILED)) {
                return; // already loading or loaded for this unlock
            }
        }
        start(false);
    }

    private void start(boolean ignoreSnapshot) {
        long gen;
        SearchIndex old;
        State next = new State(Phase.LOADING, 0, 0, Origin.NONE, "");
        synchronized (monitor) {
            if (closed) {
                return;
            }
            gen = ++generation;
            old = index;
            index = null;
            pending.clear();
            pendingOverflowed = false;
            sincePersist = 0;
            setState(next);
        }
        if (old != null) {
            old.destroy();
        }
        fire(next);
        try {
            executor.execute(() -> prepare(gen, ignoreSnapshot));
        } catch (RejectedExecutionException e) {
            fail(gen, "the background executor refused the work");
        }
    }

    private void onLocked() {
        SearchIndex old;
        synchronized (monitor) {
            generation++;
            old = index;
            index = null;
            pending.clear();
            pendingOverflowed = false;
            setState(State.LOCKED);
        }
        if (old != null) {
            old.destroy();
        }
        fire(State.LOCKED);
    }

    /** Loads the snapshot (or not), catches up with the messages after it, and goes READY. */
    private void prepare(long gen, boolean ignoreSnapshot) {
        SearchIndex idx = null;
        try {
            Origin origin = Origin.BUILT;
            String detail = "";
            if (ignoreSnapshot) {
                snapshots.clear();
            } else {
                try {
                    idx = snapshots.load().orElse(null);
                    if (idx != null) {
                        origin = Origin.SNAPSHOT;
                    }
                } catch (SnapshotStore.RejectedException e) {
                    origin = Origin.REBUILT_AFTER_REJECTED_SNAPSHOT;
                    detail = e.getMessage();
                    snapshots.clear();
                }
            }
            if (idx == null) {
                idx = new SearchIndex();
            }
            long total = snapshots.messagesAfter(idx.coveredUpTo());
            State building = new State(Phase.BUILDING, 0, total, origin, detail);
            synchronized (monitor) {
                if (gen != generation) {
                    idx.destroy();
                    return;
                }
                index = idx;
                setState(building);
            }
            fire(building);
            finish(gen, idx, origin, detail, total);
        } catch (CancellationException e) {
            destroyIfStale(gen, idx);
        } catch (StoreException | RuntimeException e) {
            if (!destroyIfStale(gen, idx)) {
                fail(gen, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
    }

    /**
     * Indexes the table after what {@code idx} covers, then what arrived meanwhile, goes READY and
     * persists the snapshot when that saves the next unlock real work.
     */
    private void finish(long gen, SearchIndex idx, Origin origin, String detail, long total) throws StoreException {
        long done = catchUp(gen, idx, origin, detail, total);
        State ready;
        while (true) {
            synchronized (monitor) {
                if (gen != generation) {
                    return; // the lock already dropped idx
                }
                if (!pendingOverflowed) {
                    for (StoredMessage m : pending) {
                        indexOne(idx, m);
                    }
                    pending.clear();
                    ready = new State(Phase.READY, done, total, origin, detail);
                    setState(ready);
                    break;
                }
                pendingOverflowed = false;
                pending.clear();
            }
            done += catchUp(gen, idx, origin, detail, total);
        }
        fire(ready);
        if (origin != Origin.SNAPSHOT || done >= options.persistAfterCatchUp()) {
            try {
                persist(gen);
            } catch (StoreException | RuntimeException e) {
                // the snapshot only speeds up the next unlock; the index in memory is fine
            }
        }
    }

    /**
     * Rows were imported without being handed over (an archive): go back to BUILDING, so live
     * inserts wait, and catch up from the table in the background.
     */
    private void onBulkInserted() {
        long gen;
        SearchIndex idx;
        State building;
        synchronized (monitor) {
            Phase phase = state.phase();
            if (phase == Phase.LOADING || phase == Phase.BUILDING) {
                pending.clear();
                pendingOverflowed = true; // the builder rescans the table
                return;
            }
            if (phase != Phase.READY || index == null) {
                return;
            }
            gen = generation;
            idx = index;
            building = new State(Phase.BUILDING, 0, 0, state.origin(), state.detail());
            setState(building);
        }
        fire(building);
        schedule(() -> {
            try {
                finish(gen, idx, building.origin(), building.detail(), snapshots.messagesAfter(idx.coveredUpTo()));
            } catch (CancellationException e) {
                destroyIfStale(gen, idx);
            } catch (StoreException | RuntimeException e) {
                if (!destroyIfStale(gen, idx)) {
                    fail(gen, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
            }
        });
    }

    /** Indexes every message after what {@code idx} covers; returns how many it visited. */
    private long catchUp(long gen, SearchIndex idx, Origin origin, String detail, long total) throws StoreException {
        long[] done = {0};
        store.messages().forEach(idx.coveredUpTo(), options.pageSize(), m -> {
            if (generation != gen) {
                throw new CancellationException("the store locked");
            }
            indexOne(idx, m);
            done[0]++;
            if (idx.bufferedDocuments() >= options.buildCompactEvery()) {
                idx.compact();
            }
            if (done[0] % 8192 == 0) {
                State progress = new State(Phase.BUILDING, done[0], Math.max(total, done[0]), origin, detail);
                boolean current;
                synchronized (monitor) {
                    current = gen == generation;
                    if (current) {
                        setState(progress);
                    }
                }
                if (current) {
                    fire(progress);
                }
            }
        });
        idx.compact();
        return done[0];
    }

    private static void indexOne(SearchIndex idx, StoredMessage m) {
        String text = m.isDamaged() || m.body() == null ? null : m.body().text();
        try {
            idx.add(m.id(), m.conversationId(), text);
        } catch (IllegalArgumentException e) {
            idx.cover(m.id()); // an id beyond 2^31 (only a forged row has one): not searchable
        }
    }

    /** Runs on the committing thread under the database lock: must stay quick. */
    private void onInserted(List<StoredMessage> messages) {
        boolean persistDue = false;
        boolean compactDue = false;
        long gen;
        synchronized (monitor) {
            gen = generation;
            Phase phase = state.phase();
            SearchIndex idx = index;
            if (phase == Phase.READY && idx != null) {
                for (StoredMessage m : messages) {
                    indexOne(idx, m);
                }
                sincePersist += messages.size();
                persistDue = sincePersist >= options.persistEvery();
                compactDue = idx.bufferedDocuments() >= options.liveCompactEvery();
            } else if (phase == Phase.LOADING || phase == Phase.BUILDING) {
                if (pending.size() + messages.size() > options.pendingLimit()) {
                    pending.clear();
                    pendingOverflowed = true; // the builder rescans the table instead
                } else {
                    pending.addAll(messages);
                }
            }
        }
        if (compactDue && compactQueued.compareAndSet(false, true)) {
            schedule(() -> {
                compactQueued.set(false);
                SearchIndex idx = index;
                if (idx != null && generation == gen) {
                    try {
                        idx.compact();
                    } catch (IllegalStateException e) {
                        // dropped by a lock meanwhile
                    }
                }
            });
        }
        if (persistDue && persistQueued.compareAndSet(false, true)) {
            schedule(() -> {
                persistQueued.set(false);
                try {
                    persist(gen);
                } catch (StoreException e) {
                    // the next trigger tries again; the snapshot is only an accelerator
                }
            });
        }
    }

    private void schedule(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down: the work is an optimization only
        }
    }

    /** Seals the index of generation {@code gen} into the snapshot; false if the store locked meanwhile. */
    private boolean persist(long gen) throws StoreException {
        SearchIndex idx = index;
        if (idx == null || generation != gen) {
            return false;
        }
        Bytes plain = SnapshotStore.newPlaintext((int) Math.min(Integer.MAX_VALUE / 2, idx.compressedBytes()));
        try {
            int counted;
            synchronized (monitor) {
                counted = sincePersist;
            }
            long covered = idx.writeTo(plain);
            if (generation != gen) {
                return false;
            }
            snapshots.save(plain, covered, () -> generation == gen);
            synchronized (monitor) {
                sincePersist = Math.max(0, sincePersist - counted);
            }
            return true;
        } catch (IllegalStateException | StoreLockedException e) {
            if (generation != gen) {
                return false; // locked meanwhile
            }
            throw e;
        } finally {
            plain.wipe();
        }
    }

    private boolean destroyIfStale(long gen, SearchIndex idx) {
        if (generation == gen) {
            return false;
        }
        if (idx != null) {
            idx.destroy();
        }
        return true;
    }

    private void fail(long gen, String why) {
        State failed;
        SearchIndex old;
        synchronized (monitor) {
            if (gen != generation) {
                return;
            }
            old = index;
            index = null;
            pending.clear();
            failed = new State(Phase.FAILED, 0, 0, Origin.NONE, why);
            setState(failed);
        }
        if (old != null) {
            old.destroy();
        }
        fire(failed);
    }

    /** Under the monitor. */
    private void setState(State next) {
        state = next;
        monitor.notifyAll();
    }

    /** Outside the monitor, so a listener may call back into the service or the store. */
    private void fire(State s) {
        for (Consumer<State> listener : stateListeners) {
            listener.accept(s);
        }
    }
}
