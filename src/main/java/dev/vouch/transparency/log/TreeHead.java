package dev.vouch.transparency.log;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.MalformedProofException;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What the log states at one moment: its number of leaves, its root, and when (milliseconds since
 * the epoch, from the relay's clock). Encoded as
 *
 * <pre>
 *   01 31 | u64 size | root (32) | u64 timestamp
 * </pre>
 *
 * and signed by the log key over {@code "Vouch tree head v1\0" || encoding}
 * ({@link SignedTreeHead}). Sizes and timestamps are at most 2^63 - 1, and the tree of size 0 has
 * the empty root; anything else is refused.
 */
public record TreeHead(long size, byte[] root, long timestamp) {
    public static final int ENCODED_LENGTH = 2 + 8 + MerkleHash.LENGTH + 8;
    /** Prefixed to the encoding to form the message the log key signs. */
    static final byte[] SIGNATURE_LABEL = "Vouch tree head v1\0".getBytes(StandardCharsets.US_ASCII);

    /** @throws IllegalArgumentException for a negative size or time, a root not 32 bytes, or an empty tree whose root is not the empty root */
    public TreeHead {
        String problem = problem(size, root, timestamp);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    public byte[] serialize() {
        return Tag.TREE_HEAD.exactWriter(ENCODED_LENGTH).u64(size).fixed(root).u64(timestamp).toByteArray();
    }

    public static TreeHead decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.TREE_HEAD.reader(data);
        TreeHead head = readBody(r, "tree head");
        r.end();
        return head;
    }

    /** The bytes the log key signs: {@code "Vouch tree head v1\0" || serialize()}. */
    public byte[] signedMessage() {
        byte[] encoding = serialize();
        byte[] message = Arrays.copyOf(SIGNATURE_LABEL, SIGNATURE_LABEL.length + encoding.length);
        System.arraycopy(encoding, 0, message, SIGNATURE_LABEL.length, encoding.length);
        return message;
    }

    /**
     * Checks that {@code entry} is in the tree this head describes. The proof must be for this
     * head's size: RFC 6962 roots do not commit to the size, so the size is taken from the (signed)
     * head and never from the proof alone.
     */
    public void verifyInclusion(LogEntry entry, InclusionProof proof) throws MalformedProofException, InvalidProofException {
        verifyInclusion(entry.leafHash(), proof);
    }

    /** As {@link #verifyInclusion(LogEntry, InclusionProof)}, for a leaf given by its hash. */
    public void verifyInclusion(byte[] leafHash, InclusionProof proof) throws MalformedProofException, InvalidProofException {
        if (proof == null) {
            throw new MalformedProofException("no inclusion proof");
        }
        proof.verify(leafHash, size, root);
    }

    /**
     * Checks that {@code newer} extends the tree this head describes (this head is the client's
     * last good one). Equal sizes need equal roots and an empty proof. A head of size 0 has nothing
     * to be consistent with: the caller accepts any newer head without a proof, this method refuses
     * it as a proof from the empty tree.
     */
    public void verifyConsistency(TreeHead newer, ConsistencyProof proof) throws MalformedProofException, InvalidProofException {
        if (newer == null || proof == null) {
            throw new MalformedProofException("consistency needs the newer head and a proof");
        }
        proof.verify(size, root, newer.size, newer.root);
    }

    static TreeHead readBody(ByteReader r, String what) throws MalformedDataException {
        long size = r.u64();
        byte[] root = r.fixed(MerkleHash.LENGTH);
        long timestamp = r.u64();
        String problem = problem(size, root, timestamp);
        if (problem != null) {
            throw new MalformedDataException(what + ": " + problem);
        }
        return new TreeHead(size, root, timestamp);
    }

    private static String problem(long size, byte[] root, long timestamp) {
        if (size < 0) {
            return "tree size " + Long.toUnsignedString(size) + " exceeds 2^63 - 1";
        }
        if (timestamp < 0) {
            return "timestamp " + Long.toUnsignedString(timestamp) + " exceeds 2^63 - 1";
        }
        if (root == null || root.length != MerkleHash.LENGTH) {
            return "root must be " + MerkleHash.LENGTH + " bytes";
        }
        if (size == 0 && !Arrays.equals(root, MerkleHash.emptyRoot())) {
            return "the empty tree's root is SHA-256 of the empty string";
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeHead h && h.size == size && h.timestamp == timestamp && Arrays.equals(h.root, root);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Long.hashCode(timestamp) * 17 + Arrays.hashCode(root);
    }

    @Override
    public String toString() {
        return "TreeHead[size " + size + ", root " + HexFormat.of().formatHex(root, 0, 8) + "…, at " + timestamp + "]";
    }
}
