package dev.vouch.protocol.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF with SHA-256 (RFC 5869) on BouncyCastle's generator. */
public final class Hkdf {
    /** RFC 5869 caps the output at 255 hash lengths. */
    public static final int MAX_OUTPUT_LENGTH = 255 * 32;

    private Hkdf() {
    }

    /**
     * Extract-then-expand. A null or empty salt means the RFC's default (a string of zeros).
     *
     * @throws IllegalArgumentException when {@code length} is not in 0..8160
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA-256 output must be 0.." + MAX_OUTPUT_LENGTH + " bytes");
        }
        if (ikm == null) {
            throw new IllegalArgumentException("HKDF input keying material is required");
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }
}
