package dev.vouch.transparency;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import dev.vouch.testing.Fuzz.Sample;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleTree;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes every decoder of the log (tree head, signed tree head, log entry, inclusion and
 * consistency proof) with 10,000 hostile inputs each: random bytes, random bodies behind a valid
 * prefix, truncations, extensions, bit flips, insertions and deletions and huge size fields in
 * valid encodings (see {@link Fuzz}). A decoder either accepts, and then the input was the
 * canonical encoding of what it returned, or refuses with {@link MalformedDataException}; nothing
 * unchecked escapes. The same inputs then go through what a client does with them: a signed head
 * through the pinned key, a proof checked against the honest head of the size it names.
 */
class TransparencyDecoderFuzzProperties {
    private static final int TRIES = 10_000;
    private static final int LEAVES = 300;
    private static final MerkleTree TREE = tree();
    private static final LogSigner SIGNER = LogSigner.generate(new SecureRandom());
    private static final LogKey PINNED = SIGNER.logKey();
    private static final List<Sample> INCLUSION = inclusionSamples();
    private static final List<Sample> CONSISTENCY = consistencySamples();
    private static final List<Sample> SIGNED = List.of(
            new Sample("signed head of 300", SIGNER.sign(head(LEAVES)).serialize(), 2, 6, 42, 46),
            new Sample("signed head of 1", SIGNER.sign(head(1)).serialize(), 2, 6, 42, 46));

    @Property(tries = TRIES)
    void treeHead(@ForAll("treeHeads") Case input) {
        refusesOnlyAsMalformed(Tag.TREE_HEAD, input);
    }

    @Property(tries = TRIES)
    void signedTreeHead(@ForAll("signedTreeHeads") Case input) {
        refusesOnlyAsMalformed(Tag.SIGNED_TREE_HEAD, input);
    }

    @Property(tries = TRIES)
    void logEntry(@ForAll("logEntries") Case input) {
        refusesOnlyAsMalformed(Tag.LOG_ENTRY, input);
    }

    @Property(tries = TRIES)
    void inclusionProof(@ForAll("inclusionProofs") Case input) {
        refusesOnlyAsMalformed(Tag.INCLUSION_PROOF, input);
    }

    @Property(tries = TRIES)
    void consistencyProof(@ForAll("consistencyProofs") Case input) {
        refusesOnlyAsMalformed(Tag.CONSISTENCY_PROOF, input);
    }

    /** Hostile signed heads through the pinned key: malformed, or not signed by it. */
    @Property(tries = 3_000)
    void signedHeadThroughThePinnedKey(@ForAll("hostileSignedHeads") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, bytes -> SIGNER.sign(PINNED.verify(bytes)).serialize(),
                MalformedDataException.class, InvalidTreeHeadException.class);
    }

    /** Hostile inclusion proofs checked against the honest head of the size they name (or the latest head). */
    @Property(tries = TRIES)
    void inclusionProofAgainstTheHead(@ForAll("hostileInclusionProofs") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, bytes -> {
            InclusionProof proof = InclusionProof.decode(bytes);
            long size = proof.treeSize() <= LEAVES ? proof.treeSize() : LEAVES;
            head(size).verifyInclusion(TREE.leafHash(Math.min(proof.leafIndex(), LEAVES - 1)), proof);
            return proof.serialize();
        }, MalformedDataException.class, TransparencyException.class);
    }

    /** Hostile consistency proofs checked between the honest heads of the sizes they name (or the latest head). */
    @Property(tries = TRIES)
    void consistencyProofBetweenTheHeads(@ForAll("hostileConsistencyProofs") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, bytes -> {
            ConsistencyProof proof = ConsistencyProof.decode(bytes);
            long size2 = Math.min(proof.size2(), LEAVES);
            head(Math.min(proof.size1(), size2)).verifyConsistency(head(size2), proof);
            return proof.serialize();
        }, MalformedDataException.class, TransparencyException.class);
    }

    @Provide
    Arbitrary<Case> treeHeads() {
        return casesFor(Tag.TREE_HEAD);
    }

    @Provide
    Arbitrary<Case> signedTreeHeads() {
        return casesFor(Tag.SIGNED_TREE_HEAD);
    }

    @Provide
    Arbitrary<Case> logEntries() {
        return casesFor(Tag.LOG_ENTRY);
    }

    @Provide
    Arbitrary<Case> inclusionProofs() {
        return casesFor(Tag.INCLUSION_PROOF);
    }

    @Provide
    Arbitrary<Case> consistencyProofs() {
        return casesFor(Tag.CONSISTENCY_PROOF);
    }

    @Provide
    Arbitrary<Case> hostileSignedHeads() {
        return Fuzz.casesFor(Tag.SIGNED_TREE_HEAD, SIGNED);
    }

    @Provide
    Arbitrary<Case> hostileInclusionProofs() {
        return Fuzz.casesFor(Tag.INCLUSION_PROOF, INCLUSION);
    }

    @Provide
    Arbitrary<Case> hostileConsistencyProofs() {
        return Fuzz.casesFor(Tag.CONSISTENCY_PROOF, CONSISTENCY);
    }

    private static Arbitrary<Case> casesFor(Tag tag) {
        return Fuzz.casesFor(tag, Encodings.of(tag).samples());
    }

    private static void refusesOnlyAsMalformed(Tag tag, Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(tag).codec(), MalformedDataException.class);
    }

    private static MerkleTree tree() {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < LEAVES; i++) {
            tree.append(new byte[] {(byte) i, (byte) (i >>> 8)});
        }
        return tree;
    }

    private static TreeHead head(long size) {
        return new TreeHead(size, TREE.root(size), 1_700_000_000_000L);
    }

    private static List<Sample> inclusionSamples() {
        List<Sample> out = new ArrayList<>();
        for (long[] c : new long[][] {{0, 300}, {299, 300}, {137, 300}, {255, 256}, {5, 6}, {0, 1}}) {
            out.add(new Sample("inclusion " + c[0] + " of " + c[1], TREE.inclusionProof(c[0], c[1]).serialize(), 2, 6, 10, 14));
        }
        return out;
    }

    private static List<Sample> consistencySamples() {
        List<Sample> out = new ArrayList<>();
        for (long[] c : new long[][] {{1, 300}, {3, 300}, {128, 300}, {299, 300}, {6, 7}, {300, 300}}) {
            out.add(new Sample("consistency " + c[0] + " to " + c[1], TREE.consistencyProof(c[0], c[1]).serialize(), 2, 6, 10, 14));
        }
        return out;
    }
}
