package dev.vouch.protocol.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Signal's per-party fingerprint hash: {@code h = SHA-512(0x0000 || key || stableId || key)}, then
 * {@code h = SHA-512(h || key)} until SHA-512 has run {@code iterations} times in all. (libsignal
 * writes it as a loop that starts from {@code 0x0000 || key || stableId} and hashes
 * {@code previous || key} each round; the first round is the same thing.)
 */
final class IteratedHash {
    static final int LENGTH = 64;

    /** Signal's fingerprint format version, a 2-byte big-endian zero; not the scannable version. */
    private static final byte[] FORMAT_VERSION = {0, 0};

    private IteratedHash() {
    }

    /**
     * Runs the iterations on {@code sha512}, which the caller reuses for both parties. The loop
     * keeps {@code hash || key} in one buffer and digests into its front, so each round is one
     * update and one digest with no allocation.
     */
    static byte[] compute(MessageDigest sha512, PartyIdentity party, int iterations) {
        byte[] key = party.publicKeyUnsafe();
        byte[] work = new byte[LENGTH + key.length];
        System.arraycopy(key, 0, work, LENGTH, key.length);

        sha512.reset();
        sha512.update(FORMAT_VERSION);
        sha512.update(key);
        sha512.update(party.stableId().getBytes(StandardCharsets.UTF_8));
        sha512.update(key);
        digestInto(sha512, work);
        for (int round = 1; round < iterations; round++) {
            sha512.update(work, 0, work.length);
            digestInto(sha512, work);
        }
        return Arrays.copyOf(work, LENGTH);
    }

    private static void digestInto(MessageDigest sha512, byte[] work) {
        try {
            sha512.digest(work, 0, LENGTH);
        } catch (DigestException e) {
            // Only possible if the buffer were shorter than 64 bytes, which it never is.
            throw new IllegalStateException("SHA-512 refused a 64-byte output buffer", e);
        }
    }
}
