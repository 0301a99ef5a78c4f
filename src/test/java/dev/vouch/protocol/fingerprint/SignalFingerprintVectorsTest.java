package dev.vouch.protocol.fingerprint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.crypto.Sha;
import dev.vouch.testing.Vectors;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte-exact agreement with libsignal's published fingerprint test values, read in place. */
class SignalFingerprintVectorsTest {
    private static final String FILE = "signal-fingerprint/vectors.json";
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyVectorMatchesByteForByte() throws FingerprintException {
        JsonNode root = Vectors.json(FILE);
        JsonNode inputs = root.get("inputs");
        PartyIdentity alice = new PartyIdentity(
                Vectors.hex(inputs.get("alice_identity_key_hex")), inputs.get("alice_stable_id").asText());
        PartyIdentity bob = new PartyIdentity(
                Vectors.hex(inputs.get("bob_identity_key_hex")), inputs.get("bob_stable_id").asText());
        // The file carries the ids both as text and as bytes; they must agree with our UTF-8 encoding.
        assertThat(HEX.formatHex(alice.stableId().getBytes(UTF_8)))
                .isEqualTo(inputs.get("alice_stable_id_hex").asText());
        assertThat(HEX.formatHex(bob.stableId().getBytes(UTF_8)))
                .isEqualTo(inputs.get("bob_stable_id_hex").asText());

        int checks = 0;
        int vectors = 0;
        for (JsonNode vector : root.get("vectors")) {
            int version = vector.get("version").asInt();
            SafetyNumberGenerator generator = new SafetyNumberGenerator(vector.get("iterations").asInt());
            SafetyNumber aliceView = generator.generate(alice, bob);
            SafetyNumber bobView = generator.generate(bob, alice);
            String expectedDigits = vector.get("displayable_fingerprint").asText();
            byte[] aliceScannable = Vectors.hex(vector.get("alice_scannable_fingerprint_hex"));
            byte[] bobScannable = Vectors.hex(vector.get("bob_scannable_fingerprint_hex"));

            assertThat(aliceView.displayable()).as("v%d alice displayable", version).isEqualTo(expectedDigits);
            assertThat(bobView.displayable()).as("v%d bob displayable", version).isEqualTo(expectedDigits);
            assertThat(aliceView.scannable(version).toByteArray()).as("v%d alice scannable", version)
                    .isEqualTo(aliceScannable);
            assertThat(bobView.scannable(version).toByteArray()).as("v%d bob scannable", version)
                    .isEqualTo(bobScannable);
            // Each side accepts the other's code and refuses its own (a reflected code proves nothing).
            assertThat(aliceView.matches(bobScannable, version)).isTrue();
            assertThat(bobView.matches(aliceScannable, version)).isTrue();
            assertThat(aliceView.matches(aliceScannable, version)).isFalse();
            assertThat(bobView.matches(bobScannable, version)).isFalse();
            // The parsed form re-encodes to exactly the published bytes.
            assertThat(ScannableFingerprint.parse(aliceScannable).toByteArray()).isEqualTo(aliceScannable);
            assertThat(ScannableFingerprint.parse(bobScannable).version()).isEqualTo(version);
            checks += 8;
            vectors += 2; // two viewpoints per version
        }

        checks += checkIntermediates(root.get("intermediate"), alice, bob, inputs.get("iterations").asInt());
        checks += checkEncodingVector(root.get("scannable_encoding_vector"));
        checks += checkVersionMismatch(root.get("vectors"), alice, bob);
        vectors += 1; // the encoding vector

        assertThat(vectors).isEqualTo(5);
        Vectors.report(FILE, vectors, "2 versions x 2 viewpoints + 1 encoding vector + intermediates; "
                + checks + " assertions");
    }

    private static int checkIntermediates(JsonNode intermediate, PartyIdentity alice, PartyIdentity bob,
            int iterations) {
        SafetyNumber aliceView = new SafetyNumberGenerator(iterations).generate(alice, bob);
        assertThat(HEX.formatHex(aliceView.localFingerprint()))
                .isEqualTo(intermediate.get("alice_hash_first32_hex").asText());
        assertThat(HEX.formatHex(aliceView.remoteFingerprint()))
                .isEqualTo(intermediate.get("bob_hash_first32_hex").asText());
        byte[] aliceHash = IteratedHash.compute(Sha.newSha512(), alice, iterations);
        byte[] bobHash = IteratedHash.compute(Sha.newSha512(), bob, iterations);
        assertThat(DisplayableDigits.of(aliceHash)).isEqualTo(intermediate.get("alice_display_30_digits").asText());
        assertThat(DisplayableDigits.of(bobHash)).isEqualTo(intermediate.get("bob_display_30_digits").asText());
        return 4;
    }

    private static int checkEncodingVector(JsonNode vector) throws FingerprintParsingException {
        ScannableFingerprint fingerprint = new ScannableFingerprint(vector.get("version").asInt(),
                Vectors.hex(vector.get("local_fingerprint_hex")), Vectors.hex(vector.get("remote_fingerprint_hex")));
        byte[] expected = Vectors.hex(vector.get("expected_serialization_hex"));
        assertThat(fingerprint.toByteArray()).isEqualTo(expected);
        assertThat(ScannableFingerprint.parse(expected)).isEqualTo(fingerprint);
        return 2;
    }

    /** Upstream: same keys, versions 1 and 2 give equal digits but codes that refuse each other. */
    private static int checkVersionMismatch(JsonNode vectors, PartyIdentity alice, PartyIdentity bob) {
        JsonNode v1 = vectors.get(0);
        JsonNode v2 = vectors.get(1);
        assertThat(v1.get("version").asInt()).isNotEqualTo(v2.get("version").asInt());
        SafetyNumber aliceView = new SafetyNumberGenerator(v1.get("iterations").asInt()).generate(alice, bob);
        byte[] bobV2 = Vectors.hex(v2.get("bob_scannable_fingerprint_hex"));
        assertThatThrownBy(() -> aliceView.matches(bobV2, v1.get("version").asInt()))
                .isInstanceOfSatisfying(FingerprintVersionMismatchException.class, e -> {
                    assertThat(e.theirVersion()).isEqualTo(v2.get("version").asInt());
                    assertThat(e.ourVersion()).isEqualTo(v1.get("version").asInt());
                });
        return 1;
    }
}
