package dev.vouch.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleHash;
import dev.vouch.transparency.merkle.MerkleTree;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Logs grown by random sequences of appends (1 to 1500 leaves of random data, 0 to 64 bytes
 * each), with random pairs of sizes and a random leaf: every honest proof verifies, directly and
 * through its encoding against a tree head; and every single-bit change to a proof's encoding
 * (index, sizes, count, any hash bit), to a head's root, to the leaf, or to a signed head (size,
 * root, time, signature) is refused with a typed error. Sizes are covered through the heads:
 * since an RFC 6962 root does not commit to the size, it is the size in the signed head that
 * binds the proof, and a proof encoded for any other size is refused against it.
 */
class ProofProperties {
    private static final LogSigner SIGNER = LogSigner.generate(new SecureRandom());
    private static final LogKey PINNED = SIGNER.logKey();

    /** A grown log and what a client asks of it: leaf {@code index} at {@code size2}, consistency from {@code size1}. */
    record Scenario(long seed, int leaves, int size1, int size2, int index) {
        MerkleTree grow() {
            Random random = new Random(seed);
            MerkleTree tree = new MerkleTree();
            for (int i = 0; i < leaves; i++) {
                // Distinct leaves: two equal leaves make either index a true answer for the same
                // hash, so a proof with the other index would rightly verify.
                byte[] data = new byte[4 + random.nextInt(65)];
                random.nextBytes(data);
                java.nio.ByteBuffer.wrap(data).putInt(i);
                tree.append(data);
            }
            return tree;
        }

        @Override
        public String toString() {
            return "log of " + leaves + " leaves (seed " + seed + "), sizes " + size1 + " and " + size2 + ", leaf " + index;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> leaves = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 40)),
                Tuple.of(2, Arbitraries.integers().between(41, 1500)));
        return Combinators.combine(Arbitraries.longs(), leaves).flatAs((seed, n) ->
                Arbitraries.integers().between(1, n).flatMap(size2 ->
                        Combinators.combine(Arbitraries.integers().between(1, size2),
                                        Arbitraries.integers().between(0, size2 - 1))
                                .as((size1, index) -> new Scenario(seed, n, size1, size2, index))));
    }

    @Property(tries = 300)
    void everyHonestProofVerifies(@ForAll("scenarios") Scenario s) throws Exception {
        MerkleTree tree = s.grow();
        assertThat(tree.size()).isEqualTo(s.leaves());
        TreeHead old = head(tree, s.size1());
        TreeHead now = head(tree, s.size2());
        byte[] leaf = tree.leafHash(s.index());

        InclusionProof inclusion = tree.inclusionProof(s.index(), s.size2());
        InclusionProof.verify(s.index(), s.size2(), leaf, inclusion.hashes(), now.root());
        now.verifyInclusion(leaf, InclusionProof.decode(inclusion.serialize()));
        if (s.index() < s.size1()) {
            old.verifyInclusion(leaf, InclusionProof.decode(tree.inclusionProof(s.index(), s.size1()).serialize()));
        }

        ConsistencyProof consistency = tree.consistencyProof(s.size1(), s.size2());
        ConsistencyProof.verify(s.size1(), s.size2(), old.root(), now.root(), consistency.hashes());
        old.verifyConsistency(now, ConsistencyProof.decode(consistency.serialize()));

        // the heads a client gets are signed; what it trusts is what the pinned key verifies
        assertThat(PINNED.verify(SIGNER.sign(now).serialize())).isEqualTo(now);
        assertThat(inclusion.encodedLength()).isLessThanOrEqualTo(InclusionProof.HEADER_LENGTH
                + MerkleHash.LENGTH * InclusionProof.maxLength(Math.max(2, s.size2())));
    }

    @Property(tries = 120)
    void everySingleBitChangeToAnInclusionProofItsRootOrItsLeafIsRefused(@ForAll("scenarios") Scenario s) {
        MerkleTree tree = s.grow();
        TreeHead head = head(tree, s.size2());
        byte[] leaf = tree.leafHash(s.index());
        byte[] encoded = tree.inclusionProof(s.index(), s.size2()).serialize();
        for (byte[] changed : everyBitFlipped(encoded)) {
            assertRefused(() -> head.verifyInclusion(leaf, InclusionProof.decode(changed)), "proof bit changed", s);
        }
        InclusionProof proof = tree.inclusionProof(s.index(), s.size2());
        for (byte[] root : everyBitFlipped(head.root())) {
            TreeHead other = new TreeHead(head.size(), root, head.timestamp());
            assertRefused(() -> other.verifyInclusion(leaf, proof), "root bit changed", s);
        }
        for (byte[] otherLeaf : everyBitFlipped(leaf)) {
            assertRefused(() -> head.verifyInclusion(otherLeaf, proof), "leaf bit changed", s);
        }
        for (long size : everyBitFlipped(head.size())) {
            if (size >= 1) {
                assertRefused(() -> new TreeHead(size, head.root(), head.timestamp()).verifyInclusion(leaf, proof),
                        "head size bit changed", s);
            }
        }
    }

    @Property(tries = 120)
    void everySingleBitChangeToAConsistencyProofOrEitherRootIsRefused(@ForAll("scenarios") Scenario s) {
        MerkleTree tree = s.grow();
        TreeHead old = head(tree, s.size1());
        TreeHead now = head(tree, s.size2());
        byte[] encoded = tree.consistencyProof(s.size1(), s.size2()).serialize();
        for (byte[] changed : everyBitFlipped(encoded)) {
            assertRefused(() -> old.verifyConsistency(now, ConsistencyProof.decode(changed)), "proof bit changed", s);
        }
        ConsistencyProof proof = tree.consistencyProof(s.size1(), s.size2());
        for (byte[] root : everyBitFlipped(old.root())) {
            TreeHead other = new TreeHead(old.size(), root, old.timestamp());
            assertRefused(() -> other.verifyConsistency(now, proof), "first root bit changed", s);
        }
        for (byte[] root : everyBitFlipped(now.root())) {
            TreeHead other = new TreeHead(now.size(), root, now.timestamp());
            assertRefused(() -> old.verifyConsistency(other, proof), "second root bit changed", s);
        }
        for (long size : everyBitFlipped(old.size())) {
            if (size >= 1) {
                assertRefused(() -> new TreeHead(size, old.root(), 0).verifyConsistency(now, proof), "first size bit changed", s);
            }
        }
        for (long size : everyBitFlipped(now.size())) {
            if (size >= 1) {
                assertRefused(() -> old.verifyConsistency(new TreeHead(size, now.root(), 0), proof), "second size bit changed", s);
            }
        }
    }

    /** Size, root, time or signature: one bit changed anywhere in a signed head and the pinned key refuses it. */
    @Property(tries = 25)
    void everySingleBitChangeToASignedHeadIsRefused(@ForAll("scenarios") Scenario s) {
        MerkleTree tree = s.grow();
        byte[] signed = SIGNER.sign(head(tree, s.size2())).serialize();
        for (byte[] changed : everyBitFlipped(signed)) {
            Throwable refusal = catchThrowable(() -> PINNED.verify(changed));
            assertThat(refusal).as("%s: signed head bit changed", s)
                    .isInstanceOfAny(MalformedDataException.class, InvalidTreeHeadException.class);
        }
        assertThat(catchThrowable(() -> PINNED.verify(SignedTreeHead.decode(signed)))).isNull();
    }

    private static TreeHead head(MerkleTree tree, long size) {
        return new TreeHead(size, tree.root(size), 1_700_000_000_000L + size);
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void assertRefused(Check check, String what, Scenario s) {
        Throwable refusal = catchThrowable(check::run);
        assertThat(refusal).as("%s: %s must be refused with a typed error", s, what)
                .isInstanceOfAny(MalformedDataException.class, TransparencyException.class);
    }

    private static List<byte[]> everyBitFlipped(byte[] bytes) {
        List<byte[]> out = new ArrayList<>(bytes.length * 8);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] changed = bytes.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            out.add(changed);
        }
        return out;
    }

    private static long[] everyBitFlipped(long value) {
        long[] out = new long[64];
        for (int bit = 0; bit < 64; bit++) {
            out[bit] = value ^ (1L << bit);
        }
        return out;
    }
}
