package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static dev.vouch.protocol.crypto.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * AesGcm.encrypt/decrypt against Wycheproof's full AES-GCM file (128/192/256-bit keys, nonces of
 * 0 to 2056 bits). The file lists its modified-tag cases right after the valid case with the
 * same key and nonce, so encrypting each in turn also exercises the wrapper's handling of the
 * JDK's refusal to re-initialise one Cipher with the previous (key, nonce).
 */
class AesGcmVectorsTest {

    @Test
    void wycheproofAesGcm() {
        VectorRun.all(VectorFile.load("wycheproof/aes_gcm_test.json"), (tc, run) -> {
            byte[] key = tc.hex("key");
            byte[] iv = tc.hex("iv");
            byte[] aad = tc.hex("aad");
            byte[] msg = tc.hex("msg");
            byte[] ctAndTag = Bytes.concat(tc.hex("ct"), tc.hex("tag"));
            if (tc.isValid()) {
                assertBytes("ciphertext and tag", ctAndTag, AesGcm.encrypt(key, iv, msg, aad));
                assertBytes("decrypted plaintext", msg, AesGcm.decrypt(key, iv, ctAndTag, aad));
            } else if (tc.isInvalid() && iv.length == 0) {
                // GCM is undefined for an empty nonce: refused as key material, both ways.
                assertThatThrownBy(() -> AesGcm.decrypt(key, iv, ctAndTag, aad))
                        .isInstanceOf(InvalidKeyMaterialException.class);
                assertThatThrownBy(() -> AesGcm.encrypt(key, iv, msg, aad))
                        .isInstanceOf(InvalidKeyMaterialException.class);
                run.note("invalid refused as empty nonce");
            } else if (tc.isInvalid()) {
                assertThatThrownBy(() -> AesGcm.decrypt(key, iv, ctAndTag, aad))
                        .isInstanceOf(AuthenticationFailedException.class);
                assertThat(hex(AesGcm.encrypt(key, iv, msg, aad)))
                        .as("encryption must not reproduce the modified tag")
                        .isNotEqualTo(hex(ctAndTag));
                run.note("invalid refused as forged tag");
            } else {
                fail("no policy for result " + tc.result());
            }
        });
    }
}
