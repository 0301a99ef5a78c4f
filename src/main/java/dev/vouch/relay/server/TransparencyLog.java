package dev.vouch.relay.server;

import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The key transparency log as the relay reads it (docs/transparency.md, "Relay integration"): its
 * entries and the Merkle proofs over them. Entries are appended by {@link RelayStorage#register},
 * in the transaction of the registration that causes them, so each storage backend brings its own
 * log ({@link RelayStorage#log()}); {@link SqliteTransparencyLog} is SQLite's.
 *
 * <p>{@link #size()} counts committed entries only, and the proof methods accept any size up to
 * it: a caller takes the size once (for a tree head) and asks everything else for that size, so
 * appends in between change nothing it answers. Sizes beyond {@link #size()} and indices beyond a
 * size are {@link IllegalArgumentException}s, as in {@code MerkleTree}.
 */
public interface TransparencyLog {

    /** An entry and its leaf index. */
    record Indexed(long index, LogEntry entry) {
        public Indexed {
            if (index < 0) {
                throw new IllegalArgumentException("leaf indices start at 0");
            }
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** The number of committed entries. */
    long size();

    /** The root of the tree of the first {@code size} entries. */
    byte[] root(long size);

    InclusionProof inclusionProof(long index, long size);

    /** From {@code size1} (at least 1) to {@code size2}. */
    ConsistencyProof consistencyProof(long size1, long size2);

    /** The entries with index {@code from} (inclusive) to {@code to} (exclusive), in index order. */
    List<Indexed> entries(long from, long to) throws RelayStorageException;

    /** The handle's newest entry with an index below {@code size}; empty when it has none there. */
    Optional<Indexed> newest(String handle, long size) throws RelayStorageException;
}
