package dev.vouch.bench;

import dev.vouch.protocol.fingerprint.PartyIdentity;
import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.protocol.fingerprint.SafetyNumberGenerator;
import dev.vouch.protocol.keys.AccountIdentity;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The safety number between two accounts with Signal's {@value SafetyNumberGenerator#DEFAULT_ITERATIONS}
 * iterations, single-threaded. One op = one {@link SafetyNumberGenerator#generate} call, which
 * hashes both parties (2 x 5200 SHA-512 rounds over the 64-byte previous hash and the key) and
 * formats the 60 digits and the two scannable fingerprints. The keys are serialized account
 * identity keys (34 bytes, so each round hashes 98 bytes: one SHA-512 block, like the 96-byte
 * {@code Primitives.sha512} baseline that {@link BenchReport} compares it with).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SafetyNumberBench {
    private final SafetyNumberGenerator generator = new SafetyNumberGenerator();
    private PartyIdentity alice;
    private PartyIdentity bob;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        alice = new PartyIdentity(AccountIdentity.generate(random).publicKey().serialize(), "alice");
        bob = new PartyIdentity(AccountIdentity.generate(random).publicKey().serialize(), "bob");
    }

    @Benchmark
    public SafetyNumber safetyNumber() {
        return generator.generate(alice, bob);
    }
}
