package dev.vouch.protocol.crypto;

import java.security.SecureRandom;

/**
 * The one source of randomness for keys, nonces and salts. The JDK's default SecureRandom is
 * non-blocking (NativePRNG on Linux, reading the kernel's CSPRNG) and safe to share between threads.
 */
public final class CryptoRandom {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CryptoRandom() {
    }

    public static SecureRandom get() {
        return RANDOM;
    }

    public static byte[] bytes(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }
}
