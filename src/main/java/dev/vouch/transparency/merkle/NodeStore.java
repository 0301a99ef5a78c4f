package dev.vouch.transparency.merkle;

/**
 * Where a {@link MerkleTree} keeps its hashes: the leaf hashes and the hash of every complete
 * subtree, addressed by level and index. Node {@code (level, index)} covers leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}; it exists once all of them do, and never
 * changes after that, so a store only ever appends. {@link InMemoryNodeStore} serves tests and
 * clients; the relay backs its log with SQLite.
 *
 * <p>The tree calls a store from one thread at a time (it holds its own lock), so an
 * implementation needs no locking of its own.
 */
public interface NodeStore {
    /** The number of leaves stored. */
    long size();

    /**
     * The 32-byte hash of node {@code (level, index)}: level 0 holds the leaf hashes. Asked only
     * for complete nodes, {@code (index + 1) << level <= size()}.
     */
    byte[] node(int level, long index);

    /**
     * Adds leaf number {@code size()} and every subtree it completes, all at once (the relay's
     * store commits them in one transaction): {@code hashes[0]} is the leaf hash and
     * {@code hashes[k]} the hash of node {@code (k, size() >> k)}. The array has
     * {@code 1 + numberOfTrailingZeros(size() + 1)} entries, each 32 bytes; the store may keep
     * them without copying.
     */
    void append(byte[][] hashes);
}
