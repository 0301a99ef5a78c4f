package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import org.junit.jupiter.api.Test;

/** Hkdf.derive against Wycheproof's HKDF-SHA-256 file and RFC 5869 appendix A. */
class HkdfVectorsTest {

    @Test
    void wycheproofHkdfSha256() {
        VectorRun.all(VectorFile.load("wycheproof/hkdf_sha256_test.json"), (tc, run) -> {
            byte[] ikm = tc.hex("ikm");
            byte[] salt = tc.hex("salt");
            byte[] info = tc.hex("info");
            int size = tc.intField("size");
            if (tc.isValid()) {
                assertBytes("okm", tc.hex("okm"), Hkdf.derive(salt, ikm, info, size));
            } else if (tc.isInvalid()) {
                // The only invalid cases ask for more than 255 * 32 bytes.
                assertThatThrownBy(() -> Hkdf.derive(salt, ikm, info, size))
                        .as("output of %d bytes", size)
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }

    @Test
    void rfc5869() {
        String file = "rfc/rfc5869_hkdf.json";
        JsonNode vectors = Vectors.json(file).path("vectors");
        VectorRun run = new VectorRun(file);
        for (JsonNode v : vectors) {
            String hash = v.path("hash").asText();
            String label = "test case " + v.path("test_case").asInt() + " (" + hash + ")";
            if ("SHA-1".equals(hash)) {
                run.skip("HKDF-SHA-1, which Vouch does not use");
                continue;
            }
            run.count(hash);
            run.check(label, () -> {
                if (!"SHA-256".equals(hash)) {
                    fail("no policy for HKDF with " + hash);
                }
                byte[] salt = Vectors.hex(v.path("salt_hex"));
                byte[] ikm = Vectors.hex(v.path("ikm_hex"));
                // Extract is HMAC(salt, IKM); an absent salt is HashLen zero bytes (RFC 5869 2.2).
                assertBytes("PRK", Vectors.hex(v.path("prk_hex")),
                        HmacSha256.mac(salt == null ? new byte[32] : salt, ikm));
                assertBytes("OKM", Vectors.hex(v.path("okm_hex")),
                        Hkdf.derive(salt, ikm, Vectors.hex(v.path("info_hex")), v.path("L").asInt()));
            });
        }
        run.finish(7); // RFC 5869 A.1-A.7, as the vectors README lists
    }
}
