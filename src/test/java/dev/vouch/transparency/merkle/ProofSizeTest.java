package dev.vouch.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Proof sizes on the wire: a fixed 19-byte header (version, type, two u64, count) plus 32 bytes
 * per hash. An inclusion proof has at most one hash per tree level (ceil(log2 n)); a consistency
 * proof at most one more (the hash of the largest complete subtree ending at the old size, when
 * that is not the whole old tree). Measured on a real tree of 1,000,000 leaves; for 1,000,000,000
 * leaves from the length formulas the verifiers enforce, which {@link MerkleTreeTest} checks
 * against every proof of every tree up to 70 leaves. Prints one {@code [proof sizes]} line per size.
 */
class ProofSizeTest {
    private static final long MILLION = 1_000_000;
    private static final long BILLION = 1_000_000_000;

    @Test
    void aMillionLeavesMeasuredOnARealTree() throws Exception {
        MerkleTree tree = new MerkleTree();
        ByteBuffer leaf = ByteBuffer.allocate(8);
        for (long i = 0; i < MILLION; i++) {
            tree.append(leaf.putLong(0, i).array());
        }
        int longestInclusion = 0;
        for (long i = 0; i < MILLION; i++) {
            longestInclusion = Math.max(longestInclusion, InclusionProof.expectedLength(i, MILLION));
        }
        int longestConsistency = 0;
        for (long m = 1; m < MILLION; m++) {
            longestConsistency = Math.max(longestConsistency, ConsistencyProof.expectedLength(m, MILLION));
        }
        assertThat(longestInclusion).isEqualTo(20).isEqualTo(InclusionProof.maxLength(MILLION));
        assertThat(longestConsistency).isEqualTo(21);

        InclusionProof inclusion = tree.inclusionProof(0, MILLION);
        inclusion.verify(tree.leafHash(0), MILLION, tree.root());
        assertThat(inclusion.length()).isEqualTo(20);
        assertThat(inclusion.serialize()).hasSize(19 + 20 * 32).hasSize(659);
        ConsistencyProof consistency = tree.consistencyProof(3, MILLION);
        consistency.verify(3, tree.root(3), MILLION, tree.root());
        assertThat(consistency.serialize()).hasSize(19 + 21 * 32).hasSize(691);
        report(MILLION, inclusion.serialize().length, consistency.serialize().length);
    }

    @Test
    void aBillionLeavesFromTheLengthFormulas() {
        assertThat(InclusionProof.maxLength(BILLION)).isEqualTo(30);
        assertThat(InclusionProof.expectedLength(0, BILLION)).isEqualTo(30);
        assertThat(InclusionProof.expectedLength(BILLION - 1, BILLION)).isLessThan(30);
        assertThat(ConsistencyProof.expectedLength(3, BILLION)).isEqualTo(31);
        for (long m = 1; m < BILLION; m += 999_983) { // a prime stride over the old sizes
            assertThat(ConsistencyProof.expectedLength(m, BILLION)).isLessThanOrEqualTo(31);
        }
        report(BILLION, InclusionProof.HEADER_LENGTH + 30 * 32, ConsistencyProof.HEADER_LENGTH + 31 * 32);
        assertThat(InclusionProof.HEADER_LENGTH + 30 * 32).isEqualTo(979);
    }

    private static void report(long leaves, int inclusionBytes, int consistencyBytes) {
        System.out.printf("[proof sizes] %,d leaves: inclusion proof at most %d bytes, consistency proof at most %d bytes%n",
                leaves, inclusionBytes, consistencyBytes);
    }
}
