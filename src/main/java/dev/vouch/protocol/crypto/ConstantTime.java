package dev.vouch.protocol.crypto;

/** Comparisons of secrets whose running time does not depend on where the inputs differ. */
public final class ConstantTime {
    private ConstantTime() {
    }

    /**
     * True when both arrays have the same length and contents. Only the length may leak through
     * timing; lengths in Vouch are public (fixed-size tags, fingerprints, keys).
     */
    public static boolean equals(byte[] a, byte[] b) {
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }
}
