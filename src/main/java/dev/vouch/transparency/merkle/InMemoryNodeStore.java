package dev.vouch.transparency.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link NodeStore} in memory: per level, the hashes one after another in chunks of
 * {@value #CHUNK_HASHES} (128 KiB), so that a tree of n leaves takes about 64n bytes in a few
 * large arrays rather than 2n small objects. Not thread-safe on its own; {@link MerkleTree}
 * serializes access.
 */
public final class InMemoryNodeStore implements NodeStore {
    static final int CHUNK_HASHES = 1 << 12;
    private static final int CHUNK_BYTES = CHUNK_HASHES * MerkleHash.LENGTH;
    private static final int FIRST_CHUNK_BYTES = 16 * MerkleHash.LENGTH;

    /** levels.get(k) holds the chunks of level k. */
    private final List<List<byte[]>> levels = new ArrayList<>();
    private final long[] counts = new long[64];

    @Override
    public long size() {
        return counts[0];
    }

    @Override
    public byte[] node(int level, long index) {
        if (level < 0 || level >= levels.size() || index < 0 || index >= counts[level]) {
            throw new IllegalArgumentException("no node (" + level + ", " + index + ") in a tree of " + size() + " leaves");
        }
        byte[] chunk = levels.get(level).get((int) (index / CHUNK_HASHES));
        int offset = (int) (index % CHUNK_HASHES) * MerkleHash.LENGTH;
        return Arrays.copyOfRange(chunk, offset, offset + MerkleHash.LENGTH);
    }

    @Override
    public void append(byte[][] hashes) {
        long size = size();
        if (hashes.length != 1 + Long.numberOfTrailingZeros(size + 1)) {
            throw new IllegalArgumentException("leaf " + size + " completes " + Long.numberOfTrailingZeros(size + 1)
                    + " subtrees, got " + (hashes.length - 1));
        }
        for (byte[] h : hashes) {
            if (h == null || h.length != MerkleHash.LENGTH) {
                throw new IllegalArgumentException("node hashes are 32 bytes");
            }
        }
        for (int level = 0; level < hashes.length; level++) {
            put(level, hashes[level]);
        }
    }

    private void put(int level, byte[] hash) {
        if (level == levels.size()) {
            levels.add(new ArrayList<>());
        }
        List<byte[]> chunks = levels.get(level);
        long index = counts[level];
        int chunk = (int) (index / CHUNK_HASHES);
        int offset = (int) (index % CHUNK_HASHES) * MerkleHash.LENGTH;
        if (chunk == chunks.size()) {
            // a small tree's levels start small; a chunk doubles until it holds CHUNK_HASHES
            chunks.add(new byte[chunk == 0 ? FIRST_CHUNK_BYTES : CHUNK_BYTES]);
        } else if (offset == chunks.get(chunk).length) {
            chunks.set(chunk, Arrays.copyOf(chunks.get(chunk), Math.min(CHUNK_BYTES, 2 * offset)));
        }
        System.arraycopy(hash, 0, chunks.get(chunk), offset, MerkleHash.LENGTH);
        counts[level] = index + 1;
    }
}
