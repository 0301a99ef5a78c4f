package dev.vouch.bench;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.transparency.TransparencyException;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleTree;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The key transparency log's costs, single-threaded, in operations per second.
 *
 * <ul>
 *   <li>{@code append}: one {@link MerkleTree#append} of an 88-byte {@link LogEntry} encoding
 *       (11-byte handle "user-000123", account key, device-list hash, version) to an in-memory tree that
 *       starts empty at every iteration: the leaf hash plus, on average, one node hash and the
 *       store's bookkeeping.</li>
 *   <li>The rest run against a <b>real tree of 10,000,000 leaves</b> (LogEntry-sized leaves, built
 *       once per trial, 640 MB of hashes in memory; the build is not measured). Proofs are
 *       for 4096 leaves drawn at random, made before measuring, used round-robin:
 *       <ul>
 *         <li>{@code verifyInclusion10M}: {@link TreeHead#verifyInclusion(byte[], InclusionProof)}
 *             of a decoded proof against the head, the client's check. A proof in a tree of
 *             10,000,000 leaves has 23 or 24 hashes (ceil(log2(10^7)) = 24).</li>
 *         <li>{@code decodeAndVerifyInclusion10M}: the same from the proof's wire bytes.</li>
 *         <li>{@code verifyConsistency10M}: a consistency proof from a random earlier size to
 *             10,000,000, checked between the two heads.</li>
 *         <li>{@code inclusionProof10M}, {@code consistencyProof10M}: the relay making those
 *             proofs from the tree (random leaf, random earlier size).</li>
 *       </ul></li>
 *   <li>{@code verifySignedHead}: {@link LogKey#verify(byte[])} of a 114-byte signed tree head
 *       (decode and one Ed25519 verification), which a client does once per head, for scale.</li>
 * </ul>
 *
 * <p>The fork gets a fixed, pre-touched 3 GB heap: appending fills fresh memory quickly, and
 * without it the kernel's page faults while the heap grows (charged to the worker thread) made
 * iterations differ fourfold, even by CPU time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class TransparencyBench {
    static final int TEN_MILLION = 10_000_000;
    private static final int POOL = 4096;

    /** A fresh tree every iteration, and 1024 distinct entries to append round-robin. */
    @State(Scope.Thread)
    public static class Appending {
        MerkleTree tree;
        byte[][] entries;
        int next;

        @Setup(Level.Trial)
        public void entries() {
            AccountIdentityKey key = AccountIdentity.generate(new SecureRandom()).publicKey();
            entries = new byte[1024][];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = entry(key, i).serialize();
            }
        }

        @Setup(Level.Iteration)
        public void emptyTree() {
            tree = new MerkleTree();
        }
    }

    /** The 10,000,000-leaf log, its head, and proofs made from it before measuring. */
    @State(Scope.Benchmark)
    public static class TenMillion {
        MerkleTree tree;
        TreeHead head;
        long[] indexes;
        byte[][] leafHashes;
        InclusionProof[] inclusion;
        byte[][] inclusionBytes;
        long[] earlierSizes;
        TreeHead[] earlierHeads;
        ConsistencyProof[] consistency;

        @Setup(Level.Trial)
        public void build() {
            long start = System.nanoTime();
            tree = new MerkleTree();
            AccountIdentityKey key = AccountIdentity.generate(new SecureRandom()).publicKey();
            byte[] template = entry(key, 0).serialize();
            ByteBuffer leaf = ByteBuffer.wrap(template.clone());
            for (int i = 0; i < TEN_MILLION; i++) {
                leaf.putLong(template.length - 8, i); // a distinct version in every leaf
                tree.append(leaf.array());
            }
            head = new TreeHead(TEN_MILLION, tree.root(), System.currentTimeMillis());
            SplittableRandom random = new SplittableRandom(42);
            indexes = new long[POOL];
            leafHashes = new byte[POOL][];
            inclusion = new InclusionProof[POOL];
            inclusionBytes = new byte[POOL][];
            earlierSizes = new long[POOL];
            earlierHeads = new TreeHead[POOL];
            consistency = new ConsistencyProof[POOL];
            int hashes = 0;
            for (int i = 0; i < POOL; i++) {
                indexes[i] = random.nextLong(TEN_MILLION);
                leafHashes[i] = tree.leafHash(indexes[i]);
                inclusion[i] = tree.inclusionProof(indexes[i], TEN_MILLION);
                inclusionBytes[i] = inclusion[i].serialize();
                hashes += inclusion[i].length();
                earlierSizes[i] = 1 + random.nextLong(TEN_MILLION);
                earlierHeads[i] = new TreeHead(earlierSizes[i], tree.root(earlierSizes[i]), 0);
                consistency[i] = tree.consistencyProof(earlierSizes[i], TEN_MILLION);
            }
            System.out.printf("%n[TransparencyBench] built a tree of %,d leaves in %.1f s; proofs in the pool have"
                    + " %.2f hashes on average (%d bytes for 24)%n", TEN_MILLION, (System.nanoTime() - start) / 1e9,
                    hashes / (double) POOL, InclusionProof.HEADER_LENGTH + 24 * 32);
        }
    }

    /** Which pooled proof the next operation uses. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int take() {
            return next++ & (POOL - 1);
        }
    }

    /** A signed head and the key that signed it. */
    @State(Scope.Thread)
    public static class SignedHead {
        LogKey key;
        byte[] signed;

        @Setup(Level.Trial)
        public void sign() {
            LogSigner signer = LogSigner.generate(new SecureRandom());
            key = signer.logKey();
            signed = signer.sign(new TreeHead(TEN_MILLION, new byte[32], 1_700_000_000_000L)).serialize();
        }
    }

    @Benchmark
    public long append(Appending s) {
        return s.tree.append(s.entries[s.next++ & 1023]);
    }

    @Benchmark
    public TreeHead verifyInclusion10M(TenMillion log, Cursor c) throws TransparencyException {
        int i = c.take();
        log.head.verifyInclusion(log.leafHashes[i], log.inclusion[i]);
        return log.head;
    }

    @Benchmark
    public InclusionProof decodeAndVerifyInclusion10M(TenMillion log, Cursor c)
            throws TransparencyException, MalformedDataException {
        int i = c.take();
        InclusionProof proof = InclusionProof.decode(log.inclusionBytes[i]);
        log.head.verifyInclusion(log.leafHashes[i], proof);
        return proof;
    }

    @Benchmark
    public TreeHead verifyConsistency10M(TenMillion log, Cursor c) throws TransparencyException {
        int i = c.take();
        log.earlierHeads[i].verifyConsistency(log.head, log.consistency[i]);
        return log.head;
    }

    @Benchmark
    public InclusionProof inclusionProof10M(TenMillion log, Cursor c) {
        return log.tree.inclusionProof(log.indexes[c.take()], TEN_MILLION);
    }

    @Benchmark
    public ConsistencyProof consistencyProof10M(TenMillion log, Cursor c) {
        return log.tree.consistencyProof(log.earlierSizes[c.take()], TEN_MILLION);
    }

    @Benchmark
    public TreeHead verifySignedHead(SignedHead s) throws Exception {
        return s.key.verify(s.signed);
    }

    static LogEntry entry(AccountIdentityKey key, int i) {
        byte[] devices = new byte[32];
        devices[0] = (byte) i;
        return new LogEntry(String.format("user-%06d", i), key, devices, i);
    }
}
