package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/**
 * RFC 9106 section 5 (t=3, m=32 KiB, p=4, 32-byte tag, with secret and associated data). The
 * Argon2id vector goes through Vouch's {@link Argon2id}. Vouch only uses Argon2id, so the wrapper
 * has no Argon2d or Argon2i entry point; those two vectors go straight to BouncyCastle's
 * generator, which shows that the generator under the wrapper implements the whole RFC.
 */
class Argon2VectorsTest {

    @Test
    void rfc9106() {
        String file = "rfc/rfc9106_argon2.json";
        JsonNode rfc = Vectors.json(file);
        JsonNode in = rfc.path("inputs");
        byte[] password = Vectors.hex(in.path("password_hex"));
        byte[] salt = Vectors.hex(in.path("salt_hex"));
        byte[] secret = Vectors.hex(in.path("secret_hex"));
        byte[] ad = Vectors.hex(in.path("associated_data_hex"));
        int memoryKiB = in.path("memory_kib").asInt();
        int iterations = in.path("iterations").asInt();
        int parallelism = in.path("parallelism").asInt();
        int tagLength = in.path("tag_length").asInt();

        // Argon2id.derive always uses version 0x13; the vectors must be for that version.
        assertThat(in.path("version").asInt()).as("Argon2 version of the vectors").isEqualTo(0x13);

        VectorRun run = new VectorRun(file);
        for (JsonNode v : rfc.path("vectors")) {
            String variant = v.path("variant").asText();
            byte[] tag = Vectors.hex(v.path("tag_hex"));
            switch (variant) {
                case "argon2id" -> {
                    run.count("argon2id through Argon2id.derive");
                    run.check(variant, () -> assertBytes("tag", tag, Argon2id.derive(password, salt, secret, ad,
                            new Argon2id.Params(memoryKiB, iterations, parallelism), tagLength)));
                }
                case "argon2d", "argon2i" -> {
                    run.count(variant + " through BouncyCastle");
                    int type = variant.equals("argon2d") ? Argon2Parameters.ARGON2_d : Argon2Parameters.ARGON2_i;
                    run.check(variant, () -> assertBytes("tag", tag, bouncyCastle(type, password, salt, secret, ad,
                            memoryKiB, iterations, parallelism, tagLength)));
                }
                default -> run.check(variant, () -> fail("no policy for Argon2 variant " + variant));
            }
        }
        run.finish(3); // RFC 9106 5.1-5.3, as the vectors README lists
    }

    private static byte[] bouncyCastle(int type, byte[] password, byte[] salt, byte[] secret, byte[] ad,
            int memoryKiB, int iterations, int parallelism, int tagLength) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .withSecret(secret)
                .withAdditional(ad)
                .build());
        byte[] out = new byte[tagLength];
        generator.generateBytes(password, out);
        return out;
    }
}
