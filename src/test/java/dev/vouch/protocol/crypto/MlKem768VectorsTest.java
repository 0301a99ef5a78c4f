package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** MlKem768 against Wycheproof's four ML-KEM-768 files (FIPS 203 key generation, Encaps, Decaps). */
class MlKem768VectorsTest {

    /** KeyGen from the 64-byte seed, then Decaps: exact ek and K, implicit rejection included. */
    @Test
    void wycheproofKeyGenAndDecaps() {
        VectorRun.all(VectorFile.load("wycheproof/mlkem_768_test.json"), (tc, run) -> {
            byte[] seed = tc.hex("seed");
            byte[] c = tc.hex("c");
            if (tc.isValid()) {
                assertBytes("ek", tc.hex("ek"), MlKem768.fromSeed(seed).publicKey());
                assertBytes("K", tc.hex("K"), MlKem768.decapsulate(seed, c));
            } else if (tc.isInvalid()) {
                // Wrong seed or ciphertext lengths; a well-formed seed still yields its ek.
                if (seed.length == MlKem768.SEED_LENGTH) {
                    assertBytes("ek", tc.hex("ek"), MlKem768.fromSeed(seed).publicKey());
                } else {
                    assertThatThrownBy(() -> MlKem768.fromSeed(seed)).as("KeyGen with a %d-byte seed", seed.length)
                            .isInstanceOf(InvalidKeyMaterialException.class);
                }
                assertThatThrownBy(() -> MlKem768.decapsulate(seed, c))
                        .as("Decaps with a %d-byte seed and a %d-byte ciphertext", seed.length, c.length)
                        .isInstanceOf(InvalidKeyMaterialException.class);
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }

    /** Encaps with fixed randomness m; the FIPS 203 7.2 type and modulus checks on ek must refuse. */
    @Test
    void wycheproofEncaps() {
        VectorRun.all(VectorFile.load("wycheproof/mlkem_768_encaps_test.json"), (tc, run) -> {
            byte[] ek = tc.hex("ek");
            byte[] m = tc.hex("m");
            if (tc.isValid()) {
                MlKem768.Encapsulation result = MlKem768.encapsulateDeterministic(ek, m);
                assertBytes("c", tc.hex("c"), result.ciphertext());
                assertBytes("K", tc.hex("K"), result.sharedSecret());
            } else if (tc.isInvalid()) {
                assertThatThrownBy(() -> MlKem768.encapsulateDeterministic(ek, m))
                        .as("Encaps to a %d-byte ek", ek.length)
                        .isInstanceOf(InvalidKeyMaterialException.class);
                // The random-m entry point must apply the same checks.
                assertThatThrownBy(() -> MlKem768.encapsulate(ek, CryptoRandom.get()))
                        .isInstanceOf(InvalidKeyMaterialException.class);
                run.note(ek.length == MlKem768.PUBLIC_KEY_LENGTH
                        ? "invalid refused by the modulus check" : "invalid refused by the length check");
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }

    /**
     * KeyGen_internal from the seed: exact ek and expanded dk. The expanded key must then
     * decapsulate like the seed does, tying decapsulateExpanded to the same key.
     */
    @Test
    void wycheproofKeyGenFromSeed() {
        byte[] m = new byte[32];
        VectorRun.all(VectorFile.load("wycheproof/mlkem_768_keygen_seed_test.json"), (tc, run) -> {
            if (!tc.isValid()) {
                fail("no policy for result " + tc.result());
            }
            byte[] seed = tc.hex("seed");
            byte[] ek = tc.hex("ek");
            byte[] dk = tc.hex("dk");
            assertBytes("ek", ek, MlKem768.fromSeed(seed).publicKey());
            assertBytes("dk", dk, MlKem768.expandedPrivateKey(seed));
            MlKem768.Encapsulation encapsulation = MlKem768.encapsulateDeterministic(ek, m);
            assertBytes("K through the expanded dk", encapsulation.sharedSecret(),
                    MlKem768.decapsulateExpanded(dk, encapsulation.ciphertext()));
            assertBytes("K through the seed", encapsulation.sharedSecret(),
                    MlKem768.decapsulate(seed, encapsulation.ciphertext()));
        });
    }

    /** Decaps with an expanded dk: FIPS 203 7.3 length and hash checks must refuse a bad dk or c. */
    @Test
    void wycheproofSemiExpandedDecaps() {
        VectorRun.all(VectorFile.load("wycheproof/mlkem_768_semi_expanded_decaps_test.json"), (tc, run) -> {
            byte[] dk = tc.hex("dk");
            byte[] c = tc.hex("c");
            if (tc.isValid()) {
                assertBytes("K", tc.hex("K"), MlKem768.decapsulateExpanded(dk, c));
            } else if (tc.isInvalid()) {
                assertThatThrownBy(() -> MlKem768.decapsulateExpanded(dk, c))
                        .as("Decaps with a %d-byte dk and a %d-byte ciphertext", dk.length, c.length)
                        .isInstanceOf(InvalidKeyMaterialException.class);
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }
}
