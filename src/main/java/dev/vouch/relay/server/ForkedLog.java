package dev.vouch.relay.server;

import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Another history than the honest log's, kept in memory by a {@link Misbehavior}: the honest
 * entries before a fork point, then entries of its own ({@link #appendOwn}) mixed with the honest
 * entries from a resume point on, copied as they come ({@link #sync}). Forking at the honest size
 * and resuming there gives a log that extends the honest one until the first entry of its own;
 * resuming one later drops the honest entry at the fork point (a history rewrite).
 *
 * <p>Only for demonstrating attacks: it copies the honest tree's leaf hashes when made, keeps its
 * own entries in memory and is gone when the relay stops.
 */
final class ForkedLog implements TransparencyLog {
    private static final int COPY_BATCH = 1000;

    private final TransparencyLog honest;
    private final long forkPoint;
    private final MerkleTree tree = new MerkleTree();
    /** This log's entries from index {@link #forkPoint} on. */
    private final List<LogEntry> suffix = new ArrayList<>();
    /** The next honest index to copy. */
    private long nextHonest;

    private ForkedLog(TransparencyLog honest, long forkPoint, long resumeAt) {
        this.honest = honest;
        this.forkPoint = forkPoint;
        this.nextHonest = resumeAt;
    }

    /** The honest entries below {@code forkPoint}, then (after {@link #sync}) those from {@code resumeAt} on. */
    static ForkedLog fork(TransparencyLog honest, long forkPoint, long resumeAt) throws RelayStorageException {
        if (forkPoint < 0 || resumeAt < forkPoint || forkPoint > honest.size()) {
            throw new IllegalArgumentException("cannot fork a log of " + honest.size() + " at " + forkPoint
                    + ", resuming at " + resumeAt);
        }
        ForkedLog fork = new ForkedLog(honest, forkPoint, resumeAt);
        for (long from = 0; from < forkPoint; from += COPY_BATCH) {
            for (Indexed e : honest.entries(from, Math.min(forkPoint, from + COPY_BATCH))) {
                fork.tree.append(e.entry().serialize());
            }
        }
        return fork;
    }

    /** Copies the honest entries committed since the last call. */
    synchronized void sync() throws RelayStorageException {
        long size = honest.size();
        while (nextHonest < size) {
            long to = Math.min(size, nextHonest + COPY_BATCH);
            for (Indexed e : honest.entries(nextHonest, to)) {
                add(e.entry());
            }
            nextHonest = to;
        }
    }

    /**
     * Syncs, then appends an entry of this log's own for {@code handle}, made for the next version
     * of the handle in this log; returns its index.
     */
    synchronized long appendOwn(String handle, LongFunction<LogEntry> atVersion) throws RelayStorageException {
        sync();
        long version = newest(handle, tree.size()).map(e -> e.entry().version() + 1).orElse(1L);
        return add(atVersion.apply(version));
    }

    private long add(LogEntry entry) {
        suffix.add(entry);
        return tree.append(entry.serialize());
    }

    @Override
    public synchronized long size() {
        return tree.size();
    }

    @Override
    public byte[] root(long size) {
        return tree.root(size);
    }

    @Override
    public InclusionProof inclusionProof(long index, long size) {
        return tree.inclusionProof(index, size);
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) {
        return tree.consistencyProof(size1, size2);
    }

    @Override
    public synchronized List<Indexed> entries(long from, long to) throws RelayStorageException {
        if (from < 0 || from > to || to > tree.size()) {
            throw new IllegalArgumentException("entries " + from + " to " + to + " are not in a log of " + tree.size());
        }
        List<Indexed> out = new ArrayList<>(honest.entries(Math.min(from, forkPoint), Math.min(to, forkPoint)));
        for (long i = Math.max(from, forkPoint); i < to; i++) {
            out.add(new Indexed(i, suffix.get((int) (i - forkPoint))));
        }
        return out;
    }

    @Override
    public synchronized Optional<Indexed> newest(String handle, long size) throws RelayStorageException {
        for (long i = Math.min(size, tree.size()) - 1; i >= forkPoint; i--) {
            LogEntry e = suffix.get((int) (i - forkPoint));
            if (e.handle().equals(handle)) {
                return Optional.of(new Indexed(i, e));
            }
        }
        return honest.newest(handle, Math.min(size, forkPoint));
    }
}
