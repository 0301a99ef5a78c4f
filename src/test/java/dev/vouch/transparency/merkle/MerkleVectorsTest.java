package dev.vouch.transparency.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import dev.vouch.transparency.TransparencyException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tree, its proofs and the pure verifiers against ../shared/vectors/merkle, read in place:
 * the RFC 6962 tree over the eight standard leaves (leaf hashes, every node, roots of sizes 0 to
 * 8, every inclusion and consistency proof up to size 8, which {@link MerkleTree} must reproduce
 * byte for byte) and transparency-dev's golden probes, whose every {@code wantErr} case must be
 * refused with a {@link TransparencyException}, both by the static verifier and, where the
 * encoding can carry the case at all, through the wire encoding.
 */
class MerkleVectorsTest {
    private static final String TREE = "merkle/rfc6962_tree_vectors.json";
    private static final String INCLUSION = "merkle/transparency_dev_inclusion_probes.json";
    private static final String CONSISTENCY = "merkle/transparency_dev_consistency_probes.json";

    @Test
    void rfc6962Tree() {
        JsonNode v = Vectors.json(TREE);
        ProbeRun run = new ProbeRun(TREE);
        InMemoryNodeStore store = new InMemoryNodeStore();
        MerkleTree tree = new MerkleTree(store);
        List<byte[]> rootsAsBuilt = new ArrayList<>();
        rootsAsBuilt.add(tree.root());
        JsonNode leaves = v.path("leaf_inputs_hex");
        for (int i = 0; i < leaves.size(); i++) {
            int index = i;
            byte[] data = Vectors.hex(leaves.get(i));
            run.check("leaf hash", "leaf " + i, () -> {
                assertThat(hex(MerkleHash.leafHash(data))).isEqualTo(v.path("leaf_hashes_hex").get(index).asText());
                assertThat(tree.append(data)).isEqualTo(index);
                rootsAsBuilt.add(tree.root());
            });
        }
        run.check("empty root", "empty root", () ->
                assertThat(hex(MerkleHash.emptyRoot())).isEqualTo(v.path("empty_tree_root_hex").asText()));
        v.path("roots_by_tree_size").fields().forEachRemaining(e -> {
            int size = Integer.parseInt(e.getKey());
            run.check("root", "root of size " + size, () -> {
                assertThat(hex(tree.root(size))).as("past root from the full tree").isEqualTo(e.getValue().asText());
                assertThat(hex(rootsAsBuilt.get(size))).as("root while growing").isEqualTo(e.getValue().asText());
            });
        });
        JsonNode levels = v.path("node_hashes_by_level").path("levels");
        for (int level = 0; level < levels.size(); level++) {
            for (int index = 0; index < levels.get(level).size(); index++) {
                int l = level;
                int i = index;
                run.check("stored node", "node (" + level + ", " + index + ")", () ->
                        assertThat(hex(store.node(l, i))).isEqualTo(levels.get(l).get(i).asText()));
            }
        }
        for (String field : new String[] {"upstream_inclusion_proofs", "inclusion_all"}) {
            for (JsonNode c : v.path(field)) {
                long index = c.path("leaf_index").asLong();
                long size = c.path("tree_size").asLong();
                run.check(field, field + " " + index + "/" + size, () -> {
                    List<byte[]> path = hexList(c.path("audit_path_hex"));
                    byte[] root = Vectors.hex(c.path("root_hex"));
                    byte[] leafHash = Vectors.hex(c.path("leaf_hash_hex"));
                    InclusionProof.verify(index, size, leafHash, path, root);
                    InclusionProof built = tree.inclusionProof(index, size);
                    assertThat(hexes(built.hashes())).as("tree's proof").isEqualTo(hexes(path));
                    assertThat(hex(tree.leafHash(index))).isEqualTo(hex(leafHash));
                    assertThat(hex(tree.root(size))).isEqualTo(hex(root));
                });
            }
        }
        for (String field : new String[] {"upstream_consistency_proofs", "consistency_all"}) {
            for (JsonNode c : v.path(field)) {
                long size1 = c.path("size1").asLong();
                long size2 = c.path("size2").asLong();
                run.check(field, field + " " + size1 + "->" + size2, () -> {
                    List<byte[]> proof = hexList(c.path("proof_hex"));
                    byte[] root1 = Vectors.hex(c.path("root1_hex"));
                    byte[] root2 = Vectors.hex(c.path("root2_hex"));
                    ConsistencyProof.verify(size1, size2, root1, root2, proof);
                    assertThat(hexes(tree.consistencyProof(size1, size2).hashes())).as("tree's proof")
                            .isEqualTo(hexes(proof));
                    assertThat(hex(tree.root(size1))).isEqualTo(hex(root1));
                    assertThat(hex(tree.root(size2))).isEqualTo(hex(root2));
                });
            }
        }
        // 8 leaves, the empty root, 9 roots, 15 nodes, 5 + 36 inclusion, 5 + 36 consistency (vectors README)
        run.finish(8 + 1 + 9 + 15 + 5 + 36 + 5 + 36);
    }

    @Test
    void transparencyDevInclusionProbes() {
        JsonNode file = Vectors.json(INCLUSION);
        ProbeRun run = new ProbeRun(INCLUSION);
        for (JsonNode c : file.path("cases")) {
            boolean wantErr = c.path("wantErr").asBoolean();
            run.check(wantErr ? "wantErr" : "valid", c.path("file").asText(), () -> {
                long index = Long.parseUnsignedLong(c.path("leafIdx").asText());
                long size = Long.parseUnsignedLong(c.path("treeSize").asText());
                byte[] leafHash = base64(c.path("leafHash"));
                byte[] root = base64(c.path("root"));
                List<byte[]> proof = base64List(c.path("proof"));
                Throwable direct = catchThrowable(() -> InclusionProof.verify(index, size, leafHash, proof, root));
                Throwable wire = catchThrowable(() -> throughTheWire(index, size, leafHash, proof, root, run));
                if (wantErr) {
                    assertThat(direct).as("refused by the verifier").isInstanceOf(TransparencyException.class);
                    assertThat(wire).as("refused through the encoding").isInstanceOf(TransparencyException.class);
                    run.note(direct.getClass().getSimpleName());
                } else {
                    assertThat(direct).as("verifies").isNull();
                    assertThat(wire).as("verifies through the encoding").isNull();
                }
            });
        }
        run.finish(file.path("count").asInt());
        assertThat(file.path("cases").size()).isEqualTo(file.path("count_valid").asInt() + file.path("count_wantErr").asInt());
    }

    /**
     * The probe as a client meets it: the proof encoded and decoded, then checked against the
     * head's size and root. A probe whose shape no encoding can carry (index beyond size, wrong
     * count, a hash not 32 bytes) is refused where the encoding refuses it, by construction.
     */
    private static void throughTheWire(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root,
                                       ProbeRun run) throws Exception {
        InclusionProof encoded;
        try {
            encoded = new InclusionProof(index, size, proof);
        } catch (IllegalArgumentException e) {
            InclusionProof.verify(index, size, leafHash, proof, root); // must throw the typed error
            throw new AssertionError("the encoding refused a shape the verifier accepted: " + e.getMessage());
        }
        InclusionProof decoded = InclusionProof.decode(encoded.serialize());
        assertThat(decoded).isEqualTo(encoded);
        decoded.verify(leafHash, size, root);
    }

    @Test
    void transparencyDevConsistencyProbes() {
        JsonNode file = Vectors.json(CONSISTENCY);
        ProbeRun run = new ProbeRun(CONSISTENCY);
        for (JsonNode c : file.path("cases")) {
            boolean wantErr = c.path("wantErr").asBoolean();
            run.check(wantErr ? "wantErr" : "valid", c.path("file").asText(), () -> {
                long size1 = Long.parseUnsignedLong(c.path("size1").asText());
                long size2 = Long.parseUnsignedLong(c.path("size2").asText());
                byte[] root1 = base64(c.path("root1"));
                byte[] root2 = base64(c.path("root2"));
                List<byte[]> proof = base64List(c.path("proof"));
                Throwable direct = catchThrowable(() -> ConsistencyProof.verify(size1, size2, root1, root2, proof));
                Throwable wire = catchThrowable(() -> {
                    ConsistencyProof encoded;
                    try {
                        encoded = new ConsistencyProof(size1, size2, proof);
                    } catch (IllegalArgumentException e) {
                        ConsistencyProof.verify(size1, size2, root1, root2, proof);
                        throw new AssertionError("the encoding refused a shape the verifier accepted: " + e.getMessage());
                    }
                    ConsistencyProof decoded = ConsistencyProof.decode(encoded.serialize());
                    assertThat(decoded).isEqualTo(encoded);
                    decoded.verify(size1, root1, size2, root2);
                });
                if (wantErr) {
                    assertThat(direct).as("refused by the verifier").isInstanceOf(TransparencyException.class);
                    assertThat(wire).as("refused through the encoding").isInstanceOf(TransparencyException.class);
                    run.note(direct.getClass().getSimpleName());
                } else {
                    assertThat(direct).as("verifies").isNull();
                    assertThat(wire).as("verifies through the encoding").isNull();
                }
            });
        }
        run.finish(file.path("count").asInt());
        assertThat(file.path("cases").size()).isEqualTo(file.path("count_valid").asInt() + file.path("count_wantErr").asInt());
    }

    private static byte[] base64(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Base64.getDecoder().decode(node.asText());
    }

    /** A proof field; absent or null means empty, as in Go's encoding/json. */
    private static List<byte[]> base64List(JsonNode node) {
        List<byte[]> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(base64(n)));
        }
        return out;
    }

    private static List<byte[]> hexList(JsonNode node) {
        List<byte[]> out = new ArrayList<>();
        node.forEach(n -> out.add(Vectors.hex(n)));
        return out;
    }

    private static List<String> hexes(List<byte[]> hashes) {
        return hashes.stream().map(MerkleVectorsTest::hex).toList();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
