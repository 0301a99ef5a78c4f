package dev.vouch.relay.server;

import dev.vouch.store.StoreException;
import dev.vouch.store.sqlite.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes of many connections committed together. Every write is one unit of work; one writer
 * thread takes all the units that are waiting, runs each in its own savepoint inside one
 * transaction, and commits them with one {@code fsync}. A caller waits until the commit of its
 * unit, so what it was told is durable is durable; a unit that throws is rolled back alone (its
 * savepoint) and the others commit.
 *
 * <p>Why: with {@code synchronous=FULL} every commit waits for the disk, and the disk, not the
 * CPU, then caps the relay at one write per {@code fsync}. Under load the writes of one commit
 * time are waiting together, so the disk waits are shared among them; with a single writer there
 * is no waiting at all, it commits at once.
 */
final class GroupCommit implements AutoCloseable {
    /** Units in one transaction at most, so one commit never holds the lock for long. */
    static final int MAX_BATCH = 512;

    private final Database db;
    private final LinkedBlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    GroupCommit(Database db, String threadName) {
        this.db = db;
        this.writer = new Thread(this::writeLoop, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs {@code work} in the next group transaction and returns its result once that has
     * committed. What {@code work} throws is thrown here (wrapped in a {@link StoreException}
     * when it is an {@link SQLException}); its changes are then rolled back and the others' kept.
     */
    <T> T write(Database.SqlWork<T> work) throws StoreException {
        Unit<T> unit = new Unit<>(work);
        if (closed) {
            throw new StoreException("the relay database is closed");
        }
        queue.add(unit);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return unit.done.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // A unit queued just as the storage closed is never taken by the writer: fail it.
                    if (closed && !writer.isAlive() && queue.remove(unit)) {
                        throw new StoreException("the relay database is closed");
                    }
                } catch (InterruptedException e) {
                    // The unit may already be committing: wait for its outcome rather than guess it.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof StoreException s) {
                        throw s;
                    }
                    if (cause instanceof SQLException s) {
                        throw new StoreException("relay database write failed: " + s.getMessage(), s);
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new StoreException("relay database write failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLoop() {
        List<Unit<?>> batch = new ArrayList<>();
        while (true) {
            try {
                Unit<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    failAll(new StoreException("the relay database is closed"));
                    return;
                }
            } catch (RuntimeException | Error e) {
                for (Unit<?> unit : batch) {
                    unit.done.completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Unit<?>> batch) {
        try {
            db.transaction(c -> {
                for (Unit<?> unit : batch) {
                    unit.run(db, c);
                }
                return null;
            });
        } catch (StoreException e) {
            // BEGIN, a savepoint rollback or COMMIT failed: nothing of this batch is stored.
            for (Unit<?> unit : batch) {
                unit.done.completeExceptionally(e);
            }
            return;
        }
        for (Unit<?> unit : batch) {
            unit.complete();
        }
    }

    private void failAll(StoreException e) {
        for (Unit<?> unit = queue.poll(); unit != null; unit = queue.poll()) {
            unit.done.completeExceptionally(e);
        }
    }

    /** Commits what is queued, then stops the writer; later writes fail. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        failAll(new StoreException("the relay database is closed"));
    }

    /** One caller's work and, once its transaction has committed, its outcome. */
    private static final class Unit<T> {
        final Database.SqlWork<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private Throwable failure;

        Unit(Database.SqlWork<T> work) {
            this.work = work;
        }

        /** Runs the work in a savepoint; a failure rolls back this unit only. */
        void run(Database db, Connection c) throws SQLException {
            db.statement("SAVEPOINT unit").execute();
            try {
                result = work.run(c);
            } catch (SQLException | StoreException | RuntimeException e) {
                failure = e;
                // If this fails too, the whole transaction is rolled back and every unit fails.
                db.statement("ROLLBACK TO unit").execute();
            }
            db.statement("RELEASE unit").execute();
        }

        void complete() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }
}
