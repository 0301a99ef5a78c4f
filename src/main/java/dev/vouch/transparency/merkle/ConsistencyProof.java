package dev.vouch.transparency.merkle;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.MalformedProofException;
import java.util.Arrays;
import java.util.List;

/**
 * That a tree of {@code size2} leaves extends the tree of {@code size1} leaves without changing
 * any of them: the proof of RFC 9162 section 2.1.4. The static
 * {@link #verify(long, long, byte[], byte[], List)} is the pure check; an instance is a proof as
 * it travels, whose {@link #serialize() encoding} is
 *
 * <pre>
 *   01 35 | u64 size1 | u64 size2 | u8 count | count x 32-byte hashes
 * </pre>
 *
 * Semantics at the edges are transparency-dev's: a proof from the empty tree is refused (a client
 * with no head has nothing to be consistent with), and for equal sizes the proof is empty and the
 * two roots must be equal. An instance always has the shape its sizes require.
 */
public final class ConsistencyProof {
    /** The most hashes any proof may carry (sizes up to 2^63 - 1 need at most 64). */
    public static final int MAX_HASHES = ProofHashes.MAX_HASHES;
    /** Version, type, first size, second size, count. */
    public static final int HEADER_LENGTH = ProofHashes.HEADER_LENGTH;

    private final long size1;
    private final long size2;
    private final byte[][] hashes;

    /** @throws IllegalArgumentException when the proof does not have the shape its sizes require */
    public ConsistencyProof(long size1, long size2, List<byte[]> hashes) {
        this(size1, size2, ProofHashes.copy(hashes), true);
    }

    private ConsistencyProof(long size1, long size2, byte[][] owned, boolean check) {
        if (check) {
            String problem = shapeProblem(size1, size2, owned.length);
            if (problem == null) {
                problem = ProofHashes.hashProblem(owned);
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        this.size1 = size1;
        this.size2 = size2;
        this.hashes = owned;
    }

    public long size1() {
        return size1;
    }

    public long size2() {
        return size2;
    }

    /** Copies of the proof's hashes, in the order of RFC 9162's SUBPROOF. */
    public List<byte[]> hashes() {
        return ProofHashes.copies(hashes);
    }

    public int length() {
        return hashes.length;
    }

    /** Length of the encoding: {@value #HEADER_LENGTH} + 32 per hash. */
    public int encodedLength() {
        return ProofHashes.encodedLength(hashes);
    }

    /**
     * Checks that the tree of {@code size2} leaves with {@code root2} extends the one of
     * {@code size1} leaves with {@code root1}; the sizes come from the two tree heads and must be
     * the ones this proof was made for.
     */
    public void verify(long size1, byte[] root1, long size2, byte[] root2)
            throws MalformedProofException, InvalidProofException {
        if (size1 != this.size1 || size2 != this.size2) {
            throw new MalformedProofException("proof is for sizes " + Long.toUnsignedString(this.size1) + " to "
                    + Long.toUnsignedString(this.size2) + ", the tree heads have " + Long.toUnsignedString(size1)
                    + " and " + Long.toUnsignedString(size2));
        }
        verify(size1, size2, root1, root2, Arrays.asList(hashes));
    }

    public byte[] serialize() {
        return ProofHashes.serialize(Tag.CONSISTENCY_PROOF, size1, size2, hashes);
    }

    /** Reads a proof, refusing counts above {@value #MAX_HASHES}, shapes that do not fit the sizes and trailing bytes. */
    public static ConsistencyProof decode(byte[] data) throws MalformedDataException {
        ProofHashes.Decoded d = ProofHashes.decode(Tag.CONSISTENCY_PROOF, data, "consistency proof",
                ConsistencyProof::shapeProblem);
        return new ConsistencyProof(d.first(), d.second(), d.hashes(), false);
    }

    /**
     * RFC 9162 section 2.1.4.2: checks that the tree of {@code size2} leaves whose root is
     * {@code root2} extends the tree of {@code size1} leaves whose root is {@code root1}. Sizes
     * are unsigned 64-bit values as on the wire; sizes above 2^63 - 1 are refused.
     *
     * @throws MalformedProofException before any hashing, when {@code size1 > size2}, {@code size1}
     *     is 0, a size does not fit, equal sizes come with a non-empty proof, a root or proof hash is
     *     not 32 bytes or the proof has the wrong number of hashes
     * @throws InvalidProofException when the proof does not lead to both roots, or equal sizes
     *     have different roots (a fork)
     */
    public static void verify(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws MalformedProofException, InvalidProofException {
        String problem = shapeProblem(size1, size2, proof == null ? -1 : proof.size());
        if (problem != null) {
            throw new MalformedProofException(problem);
        }
        if (root1 == null || root2 == null) {
            throw new MalformedProofException("both roots are needed");
        }
        if (size1 == size2) {
            // As transparency-dev: the heads agree or they do not; no proof and no hashing involved.
            if (!ConstantTime.equals(root1, root2)) {
                throw new InvalidProofException("two tree heads of size " + Long.toUnsignedString(size1)
                        + " with different roots: the log forked");
            }
            return;
        }
        if (root1.length != MerkleHash.LENGTH || root2.length != MerkleHash.LENGTH) {
            throw new MalformedProofException("roots must be " + MerkleHash.LENGTH + " bytes, got " + root1.length
                    + " and " + root2.length);
        }
        for (int i = 0; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (c == null || c.length != MerkleHash.LENGTH) {
                throw new MalformedProofException("proof hash " + i + " must be " + MerkleHash.LENGTH + " bytes, got "
                        + ProofHashes.lengthOf(c));
            }
        }
        chain(size1, size2, root1, root2, proof);
    }

    /**
     * RFC 9162 2.1.4.2, steps 2 to 7, for {@code 0 < size1 < size2} and a proof of the length the
     * sizes require (so the RFC's own length checks, kept here, cannot fail).
     */
    private static void chain(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws MalformedProofException, InvalidProofException {
        boolean powerOfTwo = Long.bitCount(size1) == 1;
        int start = powerOfTwo ? 0 : 1;
        byte[] seed = powerOfTwo ? root1 : proof.get(0);
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = seed;
        byte[] sr = seed;
        for (int i = start; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                throw new MalformedProofException("consistency proof is longer than the tree is high");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.nodeHashUnchecked(c, fr);
                sr = MerkleHash.nodeHashUnchecked(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHash.nodeHashUnchecked(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new MalformedProofException("consistency proof is shorter than the tree is high");
        }
        if (!ConstantTime.equals(fr, root1)) {
            throw new InvalidProofException("consistency proof does not lead to the root of the tree of "
                    + Long.toUnsignedString(size1) + " leaves");
        }
        if (!ConstantTime.equals(sr, root2)) {
            throw new InvalidProofException("consistency proof does not lead to the root of the tree of "
                    + Long.toUnsignedString(size2) + " leaves: the larger tree does not extend the smaller");
        }
    }

    /**
     * The number of hashes in the consistency proof from {@code size1} to {@code size2} leaves:
     * the inclusion path of leaf {@code size1 - 1} in the larger tree from the level of the
     * largest complete subtree that ends at {@code size1}, plus that subtree's hash unless it is
     * the whole smaller tree. At most ceil(log2(size2)) + 1.
     *
     * @throws IllegalArgumentException unless {@code 0 < size1 <= size2}
     */
    public static int expectedLength(long size1, long size2) {
        String problem = sizeProblem(size1, size2);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return shapeLength(size1, size2);
    }

    private static int shapeLength(long size1, long size2) {
        if (size1 == size2) {
            return 0;
        }
        int shift = Long.numberOfTrailingZeros(size1);
        int inner = 64 - Long.numberOfLeadingZeros((size1 - 1) ^ (size2 - 1));
        int border = Long.bitCount((size1 - 1) >>> inner);
        int seed = Long.bitCount(size1) == 1 ? 0 : 1;
        return seed + (inner - shift) + border;
    }

    private static String sizeProblem(long size1, long size2) {
        if (Long.compareUnsigned(size1, size2) > 0) {
            return "first tree size " + Long.toUnsignedString(size1) + " is greater than the second, "
                    + Long.toUnsignedString(size2);
        }
        if (size1 == 0) {
            return "a consistency proof from the empty tree proves nothing";
        }
        if (size2 < 0) {
            return "tree size " + Long.toUnsignedString(size2) + " exceeds 2^63 - 1";
        }
        return null;
    }

    private static String shapeProblem(long size1, long size2, int count) {
        String problem = sizeProblem(size1, size2);
        if (problem != null) {
            return problem;
        }
        if (count < 0) {
            return "no proof";
        }
        int expected = shapeLength(size1, size2);
        if (count != expected) {
            return size1 == size2
                    ? "trees of equal size need an empty proof, got " + count + " hashes"
                    : "proof has " + count + " hashes, sizes " + size1 + " to " + size2 + " need " + expected;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencyProof p && p.size1 == size1 && p.size2 == size2
                && Arrays.deepEquals(p.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size1) * 31 + Long.hashCode(size2) * 17 + Arrays.deepHashCode(hashes);
    }

    @Override
    public String toString() {
        return "ConsistencyProof[" + size1 + " to " + size2 + ", " + hashes.length + " hashes]";
    }
}
