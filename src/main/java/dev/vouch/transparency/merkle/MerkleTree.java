package dev.vouch.transparency.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The log's append-only Merkle tree (RFC 9162 section 2.1), over a {@link NodeStore} that keeps
 * the leaf hashes and every complete subtree's hash. Appending stores the leaf hash and the
 * subtrees it completes (one node hash on average); a root or a proof for any size up to the
 * current one, past sizes included, combines O(log n) stored nodes, since stored nodes never
 * change.
 *
 * <p>Proofs follow RFC 9162's definitions (PATH for inclusion, PROOF/SUBPROOF for consistency)
 * over ranges of leaves: a range that is a complete subtree is one stored node, any other range
 * that appears (always one that ends at the tree's edge) is folded from the complete subtrees it
 * consists of, at most one per level.
 *
 * <p>Thread-safe: every method holds the tree's lock, so the relay may append and answer proofs
 * from several threads. Arguments that no honest caller passes (a size beyond the tree, an index
 * beyond the size) are {@link IllegalArgumentException}s: the relay checks sizes a client asks for
 * against {@link #size()} first.
 */
public final class MerkleTree {
    private final NodeStore store;

    /** An empty tree in memory. */
    public MerkleTree() {
        this(new InMemoryNodeStore());
    }

    /** A tree over {@code store}, which may already hold leaves. */
    public MerkleTree(NodeStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The number of leaves. */
    public synchronized long size() {
        return store.size();
    }

    /** Appends {@code leafData} (a {@code LogEntry} encoding) and returns its leaf index. */
    public synchronized long append(byte[] leafData) {
        return appendLeafHash(MerkleHash.leafHash(leafData));
    }

    /** Appends a leaf by its hash ({@link MerkleHash#leafHash} of its data) and returns its index. */
    public synchronized long appendLeafHash(byte[] leafHash) {
        if (leafHash == null || leafHash.length != MerkleHash.LENGTH) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes");
        }
        long index = store.size();
        if (index == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full");
        }
        // leaf `index` completes one subtree per trailing one bit of its index
        byte[][] hashes = new byte[1 + Long.numberOfTrailingZeros(index + 1)][];
        hashes[0] = leafHash.clone();
        for (int level = 1; level < hashes.length; level++) {
            byte[] left = store.node(level - 1, (index >>> (level - 1)) - 1);
            hashes[level] = MerkleHash.nodeHashUnchecked(left, hashes[level - 1]);
        }
        store.append(hashes);
        return index;
    }

    /** The hash of leaf {@code index}. */
    public synchronized byte[] leafHash(long index) {
        checkIndex(index, store.size());
        return store.node(0, index);
    }

    /** The current root. */
    public synchronized byte[] root() {
        return root(store.size());
    }

    /** The root of the tree as it was with {@code size} leaves; {@link MerkleHash#emptyRoot()} for 0. */
    public synchronized byte[] root(long size) {
        checkSize(size);
        return size == 0 ? MerkleHash.emptyRoot() : rangeHash(0, size);
    }

    /** The audit path of leaf {@code index} in the tree of {@code size} leaves (RFC 9162 PATH). */
    public synchronized InclusionProof inclusionProof(long index, long size) {
        checkSize(size);
        checkIndex(index, size);
        List<byte[]> proof = new ArrayList<>(InclusionProof.shapeLength(index, size));
        path(index, 0, size, proof);
        return new InclusionProof(index, size, proof);
    }

    /**
     * The proof that the tree of {@code size2} leaves extends the one of {@code size1} (RFC 9162
     * PROOF). {@code size1} must be at least 1: a client with no head needs no consistency proof.
     */
    public synchronized ConsistencyProof consistencyProof(long size1, long size2) {
        checkSize(size2);
        if (size1 < 1 || size1 > size2) {
            throw new IllegalArgumentException("consistency proof needs 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(size1, 0, size2, true, proof);
        return new ConsistencyProof(size1, size2, proof);
    }

    /** PATH(m, D[begin:end]), appended bottom-up to {@code out}. */
    private void path(long m, long begin, long end, List<byte[]> out) {
        long n = end - begin;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m - begin < k) {
            path(m, begin, begin + k, out);
            out.add(rangeHash(begin + k, end));
        } else {
            path(m, begin + k, end, out);
            out.add(rangeHash(begin, begin + k));
        }
    }

    /** SUBPROOF(m, D[begin:end], b) for the first {@code m} leaves of the range, appended to {@code out}. */
    private void subproof(long m, long begin, long end, boolean b, List<byte[]> out) {
        long n = end - begin;
        if (m == n) {
            if (!b) {
                out.add(rangeHash(begin, end));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, begin, begin + k, b, out);
            out.add(rangeHash(begin + k, end));
        } else {
            subproof(m - k, begin + k, end, false, out);
            out.add(rangeHash(begin, begin + k));
        }
    }

    /**
     * MTH(D[begin:end]) for a range as RFC 9162's recursion produces them: {@code begin} is a
     * multiple of the largest power of two not above the range's length. The range splits into
     * complete subtrees by the bits of its length, largest first; they fold from the right.
     */
    private byte[] rangeHash(long begin, long end) {
        long n = end - begin;
        int lowest = Long.numberOfTrailingZeros(n);
        long start = end - (1L << lowest);
        byte[] r = store.node(lowest, start >>> lowest);
        for (int level = lowest + 1; level < 64 - Long.numberOfLeadingZeros(n); level++) {
            if ((n & (1L << level)) != 0) {
                start -= 1L << level;
                r = MerkleHash.nodeHashUnchecked(store.node(level, start >>> level), r);
            }
        }
        return r;
    }

    private void checkSize(long size) {
        if (size < 0 || size > store.size()) {
            throw new IllegalArgumentException("tree size " + size + " is not between 0 and " + store.size());
        }
    }

    private static void checkIndex(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not below the tree size " + size);
        }
    }
}
