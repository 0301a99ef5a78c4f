package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import org.junit.jupiter.api.Test;

/** Ed25519 against Wycheproof's EddsaVerify file and RFC 8032 section 7.1. */
class Ed25519VectorsTest {

    @Test
    void wycheproofEd25519() {
        VectorRun.all(VectorFile.load("wycheproof/ed25519_test.json"), (tc, run) -> {
            byte[] publicKey = Vectors.hex(tc.group().path("publicKey").path("pk"));
            boolean verified = Ed25519.verify(publicKey, tc.hex("msg"), tc.hex("sig"));
            if (tc.isValid()) {
                assertThat(verified).as("valid signature verifies").isTrue();
            } else if (tc.isInvalid()) {
                assertThat(verified).as("invalid signature is refused").isFalse();
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }

    @Test
    void rfc8032() {
        String file = "rfc/rfc8032_ed25519.json";
        JsonNode vectors = Vectors.json(file).path("vectors");
        VectorRun run = new VectorRun(file);
        for (JsonNode v : vectors) {
            run.count("key, signature and verification");
            run.check(v.path("name").asText(), () -> {
                byte[] seed = Vectors.hex(v.path("secret_key_hex"));
                byte[] publicKey = Vectors.hex(v.path("public_key_hex"));
                byte[] message = Vectors.hex(v.path("message_hex"));
                byte[] signature = Vectors.hex(v.path("signature_hex"));
                assertThat(message).as("message length").hasSize(v.path("message_length").asInt());
                assertBytes("public key from seed", publicKey, Ed25519.publicKeyOf(seed));
                assertBytes("signature", signature, Ed25519.sign(seed, publicKey, message));
                assertBytes("signature through the key pair", signature, Ed25519.fromPrivateKey(seed).sign(message));
                assertThat(Ed25519.verify(publicKey, message, signature)).as("verifies").isTrue();
                // The same signature must not carry over to any other message.
                byte[] other = Bytes.concat(message, new byte[] {0});
                assertThat(Ed25519.verify(publicKey, other, signature)).as("other message refused").isFalse();
            });
        }
        run.finish(5); // RFC 8032 7.1: TEST 1, 2, 3, 1024 and SHA(abc), as the vectors README lists
    }
}
