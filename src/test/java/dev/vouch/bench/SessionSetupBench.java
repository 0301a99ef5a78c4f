package dev.vouch.bench;

import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.state.InMemoryProtocolStore;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Session setup with the ML-KEM-768 share, both sides, single-threaded. One op:
 *
 * <ol>
 *   <li>Alice parses Bob's serialized prekey bundle as it comes from the relay
 *       ({@link PreKeyBundle#decode}), which verifies the two prekey signatures (Ed25519 over the
 *       signed prekey and over the ML-KEM prekey). A real client must do this, so it is measured.</li>
 *   <li>{@link SessionBuilder#process}: PQXDH initiation (ephemeral key pair, four X25519
 *       agreements, ML-KEM encapsulation, HKDF) and the first ratchet key pair, agreement and
 *       root-chain step; the session record is stored.</li>
 *   <li>Alice encrypts a first 160-byte message: a prekey message.</li>
 *   <li>Bob decrypts it: loads the named prekeys, PQXDH response (four X25519 agreements,
 *       ML-KEM decapsulation, HKDF), the DH ratchet step of the first message, deletes the
 *       one-time prekeys and stores the new session.</li>
 * </ol>
 *
 * <p><b>Prekeys.</b> Making prekeys (ML-KEM key generation and signing) is not part of the op. A
 * pool of {@value #POOL} bundles, each with its own one-time X25519 prekey and one-time ML-KEM
 * prekey, is generated once per trial, serialized. Each op takes the next bundle round-robin and
 * first puts that bundle's two one-time private keys back into Bob's store (its previous use
 * consumed them): two map writes of a few dozen bytes, under a microsecond against an op of about
 * a millisecond. This was preferred over a fresh pool per iteration, whose size would have to
 * exceed the unknown number of ops in an iteration (and would cost about a second of key generation
 * per iteration), and over a reusable last-resort bundle, which carries no one-time X25519 prekey
 * and so skips DH4 on both sides and the deletion of the one-time keys. Reusing a bundle every
 * {@value #POOL} ops changes nothing that costs time: every op has a fresh ephemeral key, KEM
 * encapsulation and ratchet keys. The last-resort bundle is measured too, as
 * {@code sessionSetupLastResort}.
 *
 * <p><b>Sessions.</b> Each op starts by deleting Alice's and Bob's session with each other (two map
 * removals), so both sides start from no session every time, as on first contact; otherwise each
 * op would push the previous session into the record's list of previous states and the record
 * (serialized on every store) would grow to its limit of six states. Identities stay trusted
 * (trust on first use, the same keys every op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SessionSetupBench {
    static final int POOL = 256;

    private byte[] message;
    private Party alice;
    private Party bob;
    private InMemoryProtocolStore aliceStore;
    private InMemoryProtocolStore bobStore;
    private SessionBuilder aliceBuilder;
    private SessionCipher aliceCipher;
    private SessionCipher bobCipher;
    private byte[][] bundles;
    private OneTimePreKey[] oneTimePreKeys;
    private KemPreKey[] kemPreKeys;
    private byte[] lastResortBundle;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws ProtocolException {
        SecureRandom random = new SecureRandom();
        message = new byte[RatchetBench.MESSAGE_LENGTH];
        random.nextBytes(message);
        alice = new Party("alice", 1, random);
        bob = new Party("bob", 1, random);
        aliceStore = alice.store();
        bobStore = bob.store();
        aliceBuilder = alice.builderFor(bob);
        aliceCipher = alice.cipherFor(bob);
        bobCipher = bob.cipherFor(alice);
        bundles = new byte[POOL][];
        oneTimePreKeys = new OneTimePreKey[POOL];
        kemPreKeys = new KemPreKey[POOL];
        for (int i = 0; i < POOL; i++) {
            PreKeyBundle bundle = bob.bundle();
            bundles[i] = bundle.serialize();
            oneTimePreKeys[i] = bobStore.loadOneTimePreKey(bundle.oneTimePreKey().orElseThrow().id()).orElseThrow();
            kemPreKeys[i] = bobStore.loadKemPreKey(bundle.kemPreKey().id()).orElseThrow();
        }
        lastResortBundle = bob.lastResortBundle().serialize();
        // One checked run of each, which also consumes bundle 0's keys as the op itself will.
        check(sessionSetup());
        check(sessionSetupLastResort());
        if (bobStore.loadOneTimePreKey(oneTimePreKeys[0].id()).isPresent()) {
            throw new IllegalStateException("the one-time prekey was not consumed");
        }
    }

    private void check(byte[] plaintext) {
        if (!Arrays.equals(plaintext, message)) {
            throw new IllegalStateException("session setup for the benchmark failed");
        }
    }

    @Benchmark
    public byte[] sessionSetup() throws ProtocolException {
        int i = next;
        next = (i + 1) % POOL;
        bobStore.storeOneTimePreKey(oneTimePreKeys[i]);
        bobStore.storeKemPreKey(kemPreKeys[i]);
        return setUpSession(bundles[i]);
    }

    /** The reusable bundle without one-time keys: three X25519 agreements per side in PQXDH, not four. */
    @Benchmark
    public byte[] sessionSetupLastResort() throws ProtocolException {
        return setUpSession(lastResortBundle);
    }

    private byte[] setUpSession(byte[] serializedBundle) throws ProtocolException {
        aliceStore.deleteSession(bob.address());
        bobStore.deleteSession(alice.address());
        aliceBuilder.process(PreKeyBundle.decode(serializedBundle));
        return bobCipher.decrypt(aliceCipher.encrypt(message));
    }
}
