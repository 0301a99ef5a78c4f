package dev.vouch.protocol.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (RFC 9106, version 0x13) on BouncyCastle's generator, for passphrase-derived keys. */
public final class Argon2id {
    private Argon2id() {
    }

    /**
     * Cost parameters. {@link #RECOMMENDED} is RFC 9106's second recommended option
     * (64 MiB, 3 passes, 4 lanes).
     */
    public record Params(int memoryKiB, int iterations, int parallelism) {
        public static final Params RECOMMENDED = new Params(64 * 1024, 3, 4);

        public Params {
            if (parallelism < 1 || parallelism > 0xFFFFFF) {
                throw new IllegalArgumentException("Argon2 parallelism must be 1..2^24-1");
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("Argon2 needs at least one pass");
            }
            if (memoryKiB < 8 * parallelism) {
                throw new IllegalArgumentException("Argon2 memory must be at least 8 KiB per lane");
            }
        }
    }

    public static byte[] derive(byte[] password, byte[] salt, Params params, int length) {
        return derive(password, salt, null, null, params, length);
    }

    /** The full form with the optional secret key and associated data of RFC 9106. */
    public static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, Params params, int length) {
        if (salt == null || salt.length < 8) {
            throw new IllegalArgumentException("Argon2 salt must be at least 8 bytes");
        }
        if (length < 4) {
            throw new IllegalArgumentException("Argon2 output must be at least 4 bytes");
        }
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
