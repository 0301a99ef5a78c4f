package dev.vouch.transparency.merkle;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.MalformedProofException;
import java.util.Arrays;
import java.util.List;

/**
 * That a leaf is in a tree: the audit path of RFC 9162 section 2.1.3, the sibling hashes from the
 * leaf's level upward. The static {@link #verify(long, long, byte[], List, byte[])} is the pure
 * check (sizes, leaf hash and proof in, typed error out); an instance is a proof as it travels,
 * whose {@link #serialize() encoding} is
 *
 * <pre>
 *   01 34 | u64 leaf index | u64 tree size | u8 count | count x 32-byte hashes
 * </pre>
 *
 * An instance always has the shape its sizes require: index below size, size at most 2^63 - 1,
 * exactly {@link #expectedLength} hashes of 32 bytes.
 */
public final class InclusionProof {
    /** The most hashes any proof may carry (a tree of 2^63 - 1 leaves needs 63). */
    public static final int MAX_HASHES = ProofHashes.MAX_HASHES;
    /** Version, type, leaf index, tree size, count. */
    public static final int HEADER_LENGTH = ProofHashes.HEADER_LENGTH;

    private final long leafIndex;
    private final long treeSize;
    private final byte[][] hashes;

    /** @throws IllegalArgumentException when the proof does not have the shape its index and size require */
    public InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
        this(leafIndex, treeSize, ProofHashes.copy(hashes), true);
    }

    private InclusionProof(long leafIndex, long treeSize, byte[][] owned, boolean check) {
        if (check) {
            String problem = shapeProblem(leafIndex, treeSize, owned.length);
            if (problem == null) {
                problem = ProofHashes.hashProblem(owned);
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        this.leafIndex = leafIndex;
        this.treeSize = treeSize;
        this.hashes = owned;
    }

    public long leafIndex() {
        return leafIndex;
    }

    public long treeSize() {
        return treeSize;
    }

    /** Copies of the proof's hashes, bottom-up. */
    public List<byte[]> hashes() {
        return ProofHashes.copies(hashes);
    }

    /** Number of hashes. */
    public int length() {
        return hashes.length;
    }

    /** Length of the encoding: {@value #HEADER_LENGTH} + 32 per hash. */
    public int encodedLength() {
        return ProofHashes.encodedLength(hashes);
    }

    /**
     * Checks that the leaf with {@code leafHash} is in the tree of {@code treeSize} leaves whose
     * root is {@code root}, with this proof; {@code treeSize} comes from the tree head the root
     * belongs to, and must be the size this proof was made for.
     */
    public void verify(byte[] leafHash, long treeSize, byte[] root) throws MalformedProofException, InvalidProofException {
        if (treeSize != this.treeSize) {
            throw new MalformedProofException("proof is for a tree of " + Long.toUnsignedString(this.treeSize)
                    + " leaves, the tree head has " + Long.toUnsignedString(treeSize));
        }
        verify(leafIndex, treeSize, leafHash, Arrays.asList(hashes), root);
    }

    public byte[] serialize() {
        return ProofHashes.serialize(Tag.INCLUSION_PROOF, leafIndex, treeSize, hashes);
    }

    /** Reads a proof, refusing counts above {@value #MAX_HASHES}, shapes that do not fit the sizes and trailing bytes. */
    public static InclusionProof decode(byte[] data) throws MalformedDataException {
        ProofHashes.Decoded d = ProofHashes.decode(Tag.INCLUSION_PROOF, data, "inclusion proof",
                InclusionProof::shapeProblem);
        return new InclusionProof(d.first(), d.second(), d.hashes(), false);
    }

    /**
     * RFC 9162 section 2.1.3.2: checks that {@code leafHash} is the hash of leaf {@code leafIndex}
     * in the tree of {@code treeSize} leaves whose root is {@code root}. Sizes and indices are
     * unsigned 64-bit values as on the wire; sizes above 2^63 - 1 are refused.
     *
     * @throws MalformedProofException before any hashing, when the index is not below the size,
     *     the size does not fit, a hash is not 32 bytes or the proof has the wrong number of hashes
     * @throws InvalidProofException when the proof leads to another root
     */
    public static void verify(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws MalformedProofException, InvalidProofException {
        check(leafIndex, treeSize, leafHash, proof);
        if (root == null || root.length != MerkleHash.LENGTH) {
            throw new MalformedProofException("root must be " + MerkleHash.LENGTH + " bytes, got "
                    + ProofHashes.lengthOf(root));
        }
        if (!ConstantTime.equals(chain(leafIndex, treeSize, leafHash, proof), root)) {
            throw new InvalidProofException("inclusion proof for leaf " + Long.toUnsignedString(leafIndex)
                    + " leads to another root than the tree head's (size " + Long.toUnsignedString(treeSize) + ")");
        }
    }

    /**
     * The root that {@code proof} and {@code leafHash} lead to, computed as RFC 9162 section
     * 2.1.3.2 says, after checking the same preconditions as {@link #verify}.
     */
    public static byte[] rootFromProof(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof)
            throws MalformedProofException {
        check(leafIndex, treeSize, leafHash, proof);
        byte[] r = chain(leafIndex, treeSize, leafHash, proof);
        return r == leafHash ? leafHash.clone() : r;
    }

    /** Every precondition, before any hashing. */
    private static void check(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof)
            throws MalformedProofException {
        String problem = shapeProblem(leafIndex, treeSize, proof == null ? -1 : proof.size());
        if (problem != null) {
            throw new MalformedProofException(problem);
        }
        if (leafHash == null || leafHash.length != MerkleHash.LENGTH) {
            throw new MalformedProofException("leaf hash must be " + MerkleHash.LENGTH + " bytes, got "
                    + ProofHashes.lengthOf(leafHash));
        }
        for (int i = 0; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            if (p == null || p.length != MerkleHash.LENGTH) {
                throw new MalformedProofException("proof hash " + i + " must be " + MerkleHash.LENGTH + " bytes, got "
                        + ProofHashes.lengthOf(p));
            }
        }
    }

    /**
     * RFC 9162 2.1.3.2, steps 2 to 5. {@link #check} made sure the proof has exactly the length
     * the sizes require, so sn reaches 0 with the last hash; the RFC's own checks stay, so the
     * loop reads as the RFC does.
     */
    private static byte[] chain(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof)
            throws MalformedProofException {
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new MalformedProofException("inclusion proof is longer than the tree is high");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.nodeHashUnchecked(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHash.nodeHashUnchecked(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new MalformedProofException("inclusion proof is shorter than the tree is high");
        }
        return r;
    }

    /**
     * The number of hashes in the audit path of leaf {@code leafIndex} in a tree of
     * {@code treeSize} leaves: the levels below the point where the leaf's path leaves the tree's
     * right border, plus the left siblings along that border.
     *
     * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize}
     */
    public static int expectedLength(long leafIndex, long treeSize) {
        String problem = sizeProblem(leafIndex, treeSize);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return shapeLength(leafIndex, treeSize);
    }

    /** The most hashes an inclusion proof in a tree of {@code treeSize} leaves has: ceil(log2(treeSize)). */
    public static int maxLength(long treeSize) {
        if (treeSize <= 0) {
            throw new IllegalArgumentException("tree size must be positive");
        }
        return 64 - Long.numberOfLeadingZeros(treeSize - 1);
    }

    static int shapeLength(long index, long size) {
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
        int border = Long.bitCount(index >>> inner);
        return inner + border;
    }

    private static String sizeProblem(long index, long size) {
        if (Long.compareUnsigned(index, size) >= 0) {
            return "leaf index " + Long.toUnsignedString(index) + " is not below the tree size "
                    + Long.toUnsignedString(size);
        }
        if (size < 0) {
            return "tree size " + Long.toUnsignedString(size) + " exceeds 2^63 - 1";
        }
        return null;
    }

    /** Why {@code count} hashes cannot be a proof for this index and size, or null when they can. */
    private static String shapeProblem(long index, long size, int count) {
        String problem = sizeProblem(index, size);
        if (problem != null) {
            return problem;
        }
        if (count < 0) {
            return "no proof";
        }
        int expected = shapeLength(index, size);
        if (count != expected) {
            return "proof has " + count + " hashes, leaf " + index + " of a tree of " + size + " needs " + expected;
        }
        return null;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof InclusionProof p && p.leafIndex == leafIndex && p.treeSize == treeSize
                && Arrays.deepEquals(p.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(leafIndex) * 31 + Long.hashCode(treeSize) * 17 + Arrays.deepHashCode(hashes);
    }

    @Override
    public String toString() {
        return "InclusionProof[leaf " + leafIndex + " of " + treeSize + ", " + hashes.length + " hashes]";
    }
}
