package dev.vouch.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.MalformedProofException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MerkleTree} against {@link Reference} (RFC 9162's recursive definitions): every root,
 * every inclusion proof and every consistency proof of every size up to 70, past sizes read from
 * the grown tree; spot checks across the in-memory store's chunk boundaries; the proof lengths the
 * verifiers expect; and the refusals of arguments no honest caller passes.
 */
class MerkleTreeTest {
    private static final int EXHAUSTIVE = 70;

    @Test
    void everyRootAndProofUpTo70LeavesMatchesTheRfcDefinitions() throws Exception {
        MerkleTree tree = new MerkleTree();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < EXHAUSTIVE; i++) {
            byte[] data = leafData(i);
            leaves.add(Reference.leafHash(data));
            tree.append(data);
        }
        for (int n = 0; n <= EXHAUSTIVE; n++) {
            byte[] root = Reference.mth(leaves, 0, n);
            assertThat(hex(tree.root(n))).as("root of %d", n).isEqualTo(hex(root));
            for (int i = 0; i < n; i++) {
                InclusionProof proof = tree.inclusionProof(i, n);
                assertThat(hexes(proof.hashes())).as("inclusion %d of %d", i, n)
                        .isEqualTo(hexes(Reference.path(leaves, i, 0, n)));
                assertThat(proof.length()).isEqualTo(InclusionProof.expectedLength(i, n))
                        .isLessThanOrEqualTo(InclusionProof.maxLength(n));
                proof.verify(leaves.get(i), n, root);
            }
            for (int m = 1; m <= n; m++) {
                ConsistencyProof proof = tree.consistencyProof(m, n);
                assertThat(hexes(proof.hashes())).as("consistency %d to %d", m, n)
                        .isEqualTo(hexes(Reference.proof(leaves, m, n)));
                assertThat(proof.length()).isEqualTo(ConsistencyProof.expectedLength(m, n))
                        .isLessThanOrEqualTo(n == 1 ? 0 : InclusionProof.maxLength(n) + 1);
                proof.verify(m, Reference.mth(leaves, 0, m), n, root);
            }
        }
    }

    @Test
    void theLongestProofsHaveOneHashPerLevelAndOneMoreForConsistency() {
        for (int n = 2; n <= 300; n++) {
            int levels = InclusionProof.maxLength(n);
            int longestInclusion = 0;
            int longestConsistency = 0;
            for (int i = 0; i < n; i++) {
                longestInclusion = Math.max(longestInclusion, InclusionProof.expectedLength(i, n));
                longestConsistency = Math.max(longestConsistency, ConsistencyProof.expectedLength(i + 1, n));
            }
            assertThat(longestInclusion).as("size %d", n).isEqualTo(levels);
            assertThat(longestConsistency).as("size %d", n).isLessThanOrEqualTo(levels + 1);
        }
    }

    @Test
    void acrossChunkBoundariesOfTheStore() throws Exception {
        int n = 3 * InMemoryNodeStore.CHUNK_HASHES + 17;
        MerkleTree tree = new MerkleTree();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = leafData(i);
            leaves.add(Reference.leafHash(data));
            assertThat(tree.append(data)).isEqualTo(i);
        }
        int chunk = InMemoryNodeStore.CHUNK_HASHES;
        for (int size : new int[] {chunk - 1, chunk, chunk + 1, 2 * chunk, 2 * chunk + 1, n - 1, n}) {
            byte[] root = Reference.mth(leaves, 0, size);
            assertThat(hex(tree.root(size))).as("root of %d", size).isEqualTo(hex(root));
            for (int i : new int[] {0, chunk - 1, chunk, size / 2, size - 1}) {
                if (i < size) {
                    InclusionProof proof = tree.inclusionProof(i, size);
                    assertThat(hexes(proof.hashes())).isEqualTo(hexes(Reference.path(leaves, i, 0, size)));
                    proof.verify(leaves.get(i), size, root);
                }
            }
            for (int m : new int[] {1, 3, chunk - 1, chunk, chunk + 5, size}) {
                if (m <= size) {
                    ConsistencyProof proof = tree.consistencyProof(m, size);
                    assertThat(hexes(proof.hashes())).isEqualTo(hexes(Reference.proof(leaves, m, size)));
                    proof.verify(m, tree.root(m), size, root);
                }
            }
        }
        assertThat(hex(tree.leafHash(chunk))).isEqualTo(hex(leaves.get(chunk)));
    }

    @Test
    void aTreeOverAStoreThatHoldsLeavesContinuesWhereItWas() {
        InMemoryNodeStore store = new InMemoryNodeStore();
        MerkleTree first = new MerkleTree(store);
        MerkleTree whole = new MerkleTree();
        for (int i = 0; i < 13; i++) {
            first.append(leafData(i));
            whole.append(leafData(i));
        }
        MerkleTree reopened = new MerkleTree(store);
        assertThat(reopened.size()).isEqualTo(13);
        for (int i = 13; i < 40; i++) {
            assertThat(reopened.append(leafData(i))).isEqualTo(i);
            whole.appendLeafHash(MerkleHash.leafHash(leafData(i)));
        }
        assertThat(reopened.root()).isEqualTo(whole.root());
        assertThat(reopened.consistencyProof(13, 40)).isEqualTo(whole.consistencyProof(13, 40));
    }

    @Test
    void theEmptyTreeHasTheEmptyRoot() {
        MerkleTree tree = new MerkleTree();
        assertThat(tree.size()).isZero();
        assertThat(hex(tree.root())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void argumentsNoHonestCallerPassesAreRefused() {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 5; i++) {
            tree.append(leafData(i));
        }
        assertThatThrownBy(() -> tree.root(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.root(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(0, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(2, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.leafHash(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.append(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.appendLeafHash(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.size()).as("nothing refused was appended").isEqualTo(5);
    }

    /**
     * RFC 6962 roots do not commit to the tree size: the proof for leaf 0 of 5 leads to the same
     * root as the proof for leaf 0 of 7 would, with the same hashes. So a size must never come
     * from the proof alone; {@code TreeHead.verifyInclusion} takes it from the signed head, and an
     * encoded proof for another size is refused against that head.
     */
    @Test
    void aRootDoesNotCommitToTheSizeSoTheSizeComesFromTheHead() throws Exception {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 5; i++) {
            tree.append(leafData(i));
        }
        InclusionProof proof = tree.inclusionProof(0, 5);
        byte[] root = tree.root(5);
        byte[] leaf = tree.leafHash(0);
        InclusionProof.verify(0, 7, leaf, proof.hashes(), root); // accepted by RFC 9162's algorithm
        assertThatThrownBy(() -> proof.verify(leaf, 7, root))
                .isInstanceOf(MalformedProofException.class)
                .hasMessageContaining("proof is for a tree of 5 leaves, the tree head has 7");
        InclusionProof claimingSeven = new InclusionProof(0, 7, proof.hashes());
        assertThatThrownBy(() -> claimingSeven.verify(leaf, 5, root)).isInstanceOf(MalformedProofException.class);
        proof.verify(leaf, 5, root);
    }

    @Test
    void refusalsNameTheirReason() {
        byte[] h = new byte[32];
        assertThatThrownBy(() -> InclusionProof.verify(3, 3, h, List.of(), h))
                .isInstanceOf(MalformedProofException.class).hasMessage("leaf index 3 is not below the tree size 3");
        assertThatThrownBy(() -> InclusionProof.verify(-1, 3, h, List.of(), h))
                .isInstanceOf(MalformedProofException.class)
                .hasMessage("leaf index 18446744073709551615 is not below the tree size 3");
        assertThatThrownBy(() -> InclusionProof.verify(0, -1, h, List.of(), h))
                .isInstanceOf(MalformedProofException.class).hasMessage("tree size 18446744073709551615 exceeds 2^63 - 1");
        assertThatThrownBy(() -> InclusionProof.verify(0, 3, h, List.of(h), h))
                .isInstanceOf(MalformedProofException.class).hasMessage("proof has 1 hashes, leaf 0 of a tree of 3 needs 2");
        assertThatThrownBy(() -> InclusionProof.verify(0, 2, new byte[31], List.of(h), h))
                .isInstanceOf(MalformedProofException.class).hasMessage("leaf hash must be 32 bytes, got 31");
        assertThatThrownBy(() -> InclusionProof.verify(0, 2, h, List.of(new byte[33]), h))
                .isInstanceOf(MalformedProofException.class).hasMessage("proof hash 0 must be 32 bytes, got 33");
        assertThatThrownBy(() -> InclusionProof.verify(0, 2, h, List.of(h), null))
                .isInstanceOf(MalformedProofException.class).hasMessage("root must be 32 bytes, got none");
        assertThatThrownBy(() -> InclusionProof.verify(0, 2, h, null, h))
                .isInstanceOf(MalformedProofException.class).hasMessage("no proof");
        assertThatThrownBy(() -> InclusionProof.verify(0, 2, h, List.of(h), h))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("leads to another root");
        assertThatThrownBy(() -> ConsistencyProof.verify(4, 3, h, h, List.of()))
                .isInstanceOf(MalformedProofException.class).hasMessage("first tree size 4 is greater than the second, 3");
        assertThatThrownBy(() -> ConsistencyProof.verify(0, 3, h, h, List.of()))
                .isInstanceOf(MalformedProofException.class).hasMessage("a consistency proof from the empty tree proves nothing");
        assertThatThrownBy(() -> ConsistencyProof.verify(3, 3, h, h, List.of(h)))
                .isInstanceOf(MalformedProofException.class).hasMessage("trees of equal size need an empty proof, got 1 hashes");
        assertThatThrownBy(() -> ConsistencyProof.verify(3, 3, h, new byte[32 + 1], List.of()))
                .isInstanceOf(InvalidProofException.class).hasMessage("two tree heads of size 3 with different roots: the log forked");
        assertThatThrownBy(() -> ConsistencyProof.verify(3, 4, h, h, List.of(h, h)))
                .isInstanceOf(MalformedProofException.class).hasMessage("proof has 2 hashes, sizes 3 to 4 need 3");
        assertThatThrownBy(() -> ConsistencyProof.verify(2, 4, h, new byte[5], List.of(h)))
                .isInstanceOf(MalformedProofException.class).hasMessage("roots must be 32 bytes, got 32 and 5");
        assertThatThrownBy(() -> ConsistencyProof.verify(2, 4, h, h, List.of(h)))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("tree of 4 leaves");
    }

    static byte[] leafData(int i) {
        return ByteBuffer.allocate(4 + i % 7).putInt(i).array();
    }

    static List<String> hexes(List<byte[]> hashes) {
        return hashes.stream().map(MerkleTreeTest::hex).toList();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
