package dev.vouch.bench;

import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.message.Padding;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.ratchet.SessionState;
import dev.vouch.protocol.state.SessionRecord;
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
 * The Double Ratchet on an established session between Alice and Bob, single-threaded, each
 * measured two ways: "core" drives the two {@link SessionState} objects directly (padding,
 * header, chain keys, AES-GCM, ratchet bookkeeping), "cipher" goes through {@link SessionCipher}
 * with {@link dev.vouch.protocol.state.InMemoryProtocolStore}, which decodes the session record on
 * every load and serializes it on every store, and parses the message from its wire bytes.
 *
 * <ul>
 *   <li>{@code symmetricStep*}: one op = Alice encrypts one 160-byte message (padded to the
 *       256-byte bucket) and Bob decrypts it, always in the same chain: no DH ratchet step.</li>
 *   <li>{@code dhRoundTrip*}: one op = Alice to Bob, then Bob to Alice. Each message answers the
 *       other side's last one, so each carries a new ratchet key and each receiver performs a DH
 *       ratchet step (two root-chain steps and a new ratchet key pair).</li>
 * </ul>
 *
 * Each benchmark gets its own freshly established session (a prekey message from Alice, Bob's
 * answer); setup is outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class RatchetBench {
    static final int MESSAGE_LENGTH = 160;
    private static final byte[] NO_SETUP = new byte[0];

    private byte[] message;
    private SessionCipher aliceCipher;
    private SessionCipher bobCipher;
    private SessionState alice;
    private SessionState bob;

    @Setup(Level.Trial)
    public void setUp() throws ProtocolException {
        SecureRandom random = new SecureRandom();
        message = new byte[MESSAGE_LENGTH];
        random.nextBytes(message);
        Party aliceParty = new Party("alice", 1, random);
        Party bobParty = new Party("bob", 1, random);
        aliceParty.builderFor(bobParty).process(bobParty.bundle());
        aliceCipher = aliceParty.cipherFor(bobParty);
        bobCipher = bobParty.cipherFor(aliceParty);
        // Alice's prekey message, Bob's answer: from here on both sides send plain ratchet messages,
        // and Alice's next message starts a new chain.
        check(bobCipher.decrypt(aliceCipher.encrypt(message)));
        check(aliceCipher.decrypt(bobCipher.encrypt(message)));
        // The core variants work on in-memory copies of the same established states.
        alice = SessionRecord.decode(aliceParty.store().rawSession(bobParty.address()).orElseThrow()).current();
        bob = SessionRecord.decode(bobParty.store().rawSession(aliceParty.address()).orElseThrow()).current();
    }

    private void check(byte[] plaintext) {
        if (!Arrays.equals(plaintext, message)) {
            throw new IllegalStateException("session setup for the benchmark failed");
        }
    }

    @Benchmark
    public byte[] symmetricStepCore() throws ProtocolException {
        RatchetMessage sent = alice.encrypt(Padding.pad(message), NO_SETUP);
        return Padding.unpad(bob.decrypt(sent, NO_SETUP));
    }

    @Benchmark
    public byte[] symmetricStepCipher() throws ProtocolException {
        return bobCipher.decrypt(aliceCipher.encrypt(message));
    }

    @Benchmark
    public byte[] dhRoundTripCore() throws ProtocolException {
        RatchetMessage toBob = alice.encrypt(Padding.pad(message), NO_SETUP);
        Padding.unpad(bob.decrypt(toBob, NO_SETUP));
        RatchetMessage toAlice = bob.encrypt(Padding.pad(message), NO_SETUP);
        return Padding.unpad(alice.decrypt(toAlice, NO_SETUP));
    }

    @Benchmark
    public byte[] dhRoundTripCipher() throws ProtocolException {
        bobCipher.decrypt(aliceCipher.encrypt(message));
        return aliceCipher.decrypt(bobCipher.encrypt(message));
    }
}
