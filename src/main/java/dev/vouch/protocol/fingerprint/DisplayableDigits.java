package dev.vouch.protocol.fingerprint;

/** Turns a party's iterated hash into its 30 displayable digits. */
final class DisplayableDigits {
    static final int PER_PARTY = 30;
    private static final int CHUNKS = 6;
    private static final int CHUNK_BYTES = 5;
    private static final int CHUNK_DIGITS = 5;

    private DisplayableDigits() {
    }

    /** Six 5-byte big-endian chunks of the hash, each mod 100000, zero-padded to 5 digits. */
    static String of(byte[] hash) {
        char[] digits = new char[PER_PARTY];
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            long value = 0;
            for (int i = 0; i < CHUNK_BYTES; i++) {
                value = (value << 8) | (hash[chunk * CHUNK_BYTES + i] & 0xff);
            }
            int remainder = (int) (value % 100_000);
            for (int d = CHUNK_DIGITS - 1; d >= 0; d--) {
                digits[chunk * CHUNK_DIGITS + d] = (char) ('0' + remainder % 10);
                remainder /= 10;
            }
        }
        return new String(digits);
    }
}
