package dev.vouch.transparency.merkle;

import dev.vouch.protocol.crypto.Sha;

/**
 * The hashing of RFC 6962 / RFC 9162 section 2.1.1 with SHA-256: domain-separated leaf and node
 * hashes, so that no leaf can pass for an interior node or the other way round.
 *
 * <pre>
 *   leaf hash = SHA-256(0x00 || leaf data)
 *   node hash = SHA-256(0x01 || left || right)
 *   empty root = SHA-256("")
 * </pre>
 */
public final class MerkleHash {
    /** Length of every hash in the tree, in proofs and in tree heads. */
    public static final int LENGTH = 32;
    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};
    private static final byte[] EMPTY_ROOT = Sha.sha256();

    private MerkleHash() {
    }

    /** The root of the tree with no leaves: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** {@code SHA-256(0x00 || leafData)}. */
    public static byte[] leafHash(byte[] leafData) {
        if (leafData == null) {
            throw new IllegalArgumentException("leaf data must not be null");
        }
        return Sha.sha256(LEAF_PREFIX, leafData);
    }

    /** {@code SHA-256(0x01 || left || right)}; both must be 32-byte hashes. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        if (left == null || right == null || left.length != LENGTH || right.length != LENGTH) {
            throw new IllegalArgumentException("node children must be 32-byte hashes");
        }
        return Sha.sha256(NODE_PREFIX, left, right);
    }

    /** {@link #nodeHash} for callers that have checked the lengths already (proof verification). */
    static byte[] nodeHashUnchecked(byte[] left, byte[] right) {
        return Sha.sha256(NODE_PREFIX, left, right);
    }
}
