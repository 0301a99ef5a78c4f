package dev.vouch.protocol.fingerprint;

import dev.vouch.protocol.crypto.Sha;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Computes safety numbers with Signal's published numeric fingerprint algorithm, byte-exact with
 * libsignal. Immutable and thread-safe: every call uses its own SHA-512 instance.
 *
 * @param iterations SHA-512 rounds per party, from 1 to {@value #MAX_ITERATIONS}; Signal uses
 *     {@value #DEFAULT_ITERATIONS}. (libsignal refuses 1; it is accepted here because the
 *     definition is well formed for it and it makes the algorithm easy to check by hand.)
 */
public record SafetyNumberGenerator(int iterations) {
    public static final int DEFAULT_ITERATIONS = 5200;
    /** libsignal's upper bound; it also bounds the work a caller can ask for. */
    public static final int MAX_ITERATIONS = 1_000_000;

    public SafetyNumberGenerator {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "iterations must be between 1 and " + MAX_ITERATIONS + ", got " + iterations);
        }
    }

    /** A generator with Signal's {@value #DEFAULT_ITERATIONS} iterations. */
    public SafetyNumberGenerator() {
        this(DEFAULT_ITERATIONS);
    }

    /**
     * The safety number between {@code local} (us) and {@code remote}. The displayable digits are
     * the same whichever side computes them; the scannable fingerprints are mirror images.
     */
    public SafetyNumber generate(PartyIdentity local, PartyIdentity remote) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        MessageDigest sha512 = Sha.newSha512();
        byte[] localHash = IteratedHash.compute(sha512, local, iterations);
        byte[] remoteHash = IteratedHash.compute(sha512, remote, iterations);

        String localDigits = DisplayableDigits.of(localHash);
        String remoteDigits = DisplayableDigits.of(remoteHash);
        // Both sides must print the same string, so order the halves by value, not by role.
        String displayable = localDigits.compareTo(remoteDigits) <= 0
                ? localDigits + remoteDigits
                : remoteDigits + localDigits;
        return new SafetyNumber(displayable,
                Arrays.copyOf(localHash, ScannableFingerprint.CONTENT_LENGTH),
                Arrays.copyOf(remoteHash, ScannableFingerprint.CONTENT_LENGTH));
    }

    /** Convenience for callers holding raw values: keys as given, ids as UTF-8. */
    public SafetyNumber generate(byte[] localKey, String localId, byte[] remoteKey, String remoteId) {
        return generate(new PartyIdentity(localKey, localId), new PartyIdentity(remoteKey, remoteId));
    }
}
