package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AesGcm policies that the vectors do not pin down: tampering, key and nonce lengths, chunking, nonce reuse. */
class AesGcmTest {
    private static final byte[] KEY = CryptoRandom.bytes(AesGcm.KEY_LENGTH);
    private static final byte[] NONCE = CryptoRandom.bytes(AesGcm.NONCE_LENGTH);
    private static final byte[] AAD = "header".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAINTEXT = "meet at the usual place".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyTamperedByteIsRefused() throws Exception {
        byte[] sealed = AesGcm.encrypt(KEY, NONCE, PLAINTEXT, AAD);
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> AesGcm.decrypt(KEY, NONCE, tampered, AAD))
                        .as("bit %d of byte %d flipped", bit, i)
                        .isInstanceOf(AuthenticationFailedException.class);
            }
        }
        assertBytes("untouched input still opens", PLAINTEXT, AesGcm.decrypt(KEY, NONCE, sealed, AAD));
    }

    @Test
    void wrongAadNonceKeyOrTruncationIsRefused() throws Exception {
        byte[] sealed = AesGcm.encrypt(KEY, NONCE, PLAINTEXT, AAD);
        byte[] otherNonce = NONCE.clone();
        otherNonce[0] ^= 1;
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 1;
        assertThatThrownBy(() -> AesGcm.decrypt(KEY, NONCE, sealed, new byte[0]))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> AesGcm.decrypt(KEY, otherNonce, sealed, AAD))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> AesGcm.decrypt(otherKey, NONCE, sealed, AAD))
                .isInstanceOf(AuthenticationFailedException.class);
        for (int length = 0; length < sealed.length; length++) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> AesGcm.decrypt(KEY, NONCE, truncated, AAD))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        assertThatThrownBy(() -> AesGcm.decrypt(KEY, NONCE, null, AAD))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @ParameterizedTest(name = "{0}-byte key")
    @ValueSource(ints = {0, 1, 15, 17, 23, 25, 31, 33, 64})
    void wrongKeyLengthsAreRefusedWithATypedException(int length) {
        byte[] key = new byte[length];
        assertThatThrownBy(() -> AesGcm.encrypt(key, NONCE, PLAINTEXT, AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> AesGcm.decrypt(key, NONCE, new byte[32], AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void missingKeyOrNonceIsRefusedWithATypedException() {
        assertThatThrownBy(() -> AesGcm.encrypt(null, NONCE, PLAINTEXT, AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> AesGcm.encrypt(KEY, null, PLAINTEXT, AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> AesGcm.encrypt(KEY, new byte[0], PLAINTEXT, AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> AesGcm.decrypt(KEY, new byte[0], new byte[32], AAD))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void nullAadIsTheEmptyAad() throws Exception {
        byte[] sealed = AesGcm.encrypt(KEY, NONCE, PLAINTEXT, null);
        assertBytes("same as empty AAD", AesGcm.encrypt(KEY, NONCE, PLAINTEXT, new byte[0]), sealed);
        assertBytes("opens with empty AAD", PLAINTEXT, AesGcm.decrypt(KEY, NONCE, sealed, new byte[0]));
    }

    /** Sizes around the chunk boundary and 1 MiB, each checked against one unchunked JDK call. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, AesGcm.CHUNK - 1, AesGcm.CHUNK, AesGcm.CHUNK + 1, 2 * AesGcm.CHUNK, 1 << 20, (1 << 20) + 7})
    void largeBuffersRoundTripThroughTheChunkedPath(int size) throws Exception {
        byte[] plaintext = CryptoRandom.bytes(size);
        byte[] sealed = AesGcm.encrypt(KEY, NONCE, plaintext, AAD);

        Cipher oneShot = Cipher.getInstance("AES/GCM/NoPadding");
        oneShot.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, NONCE));
        oneShot.updateAAD(AAD);
        assertBytes("chunked output equals one-shot output", oneShot.doFinal(plaintext), sealed);

        assertThat(AesGcm.decrypt(KEY, NONCE, sealed, AAD)).isEqualTo(plaintext);
        if (size > 0) {
            sealed[size / 2] ^= 1;
            assertThatThrownBy(() -> AesGcm.decrypt(KEY, NONCE, sealed, AAD))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    /**
     * The JDK refuses to start an encryption under the (key, nonce) its Cipher object used last;
     * the wrapper caches one Cipher per thread, so a repeat used to fail with an
     * IllegalStateException depending on what the thread had encrypted before.
     */
    @Test
    void repeatingTheLastKeyAndNonceOnThisThreadDoesNotDependOnCipherHistory() throws Exception {
        byte[] first = AesGcm.encrypt(KEY, NONCE, PLAINTEXT, AAD);
        byte[] again = AesGcm.encrypt(KEY, NONCE, PLAINTEXT, AAD);
        assertBytes("identical input, identical output", first, again);
        AesGcm.decrypt(KEY, NONCE, again, AAD);
        assertBytes("after a decryption in between", first, AesGcm.encrypt(KEY, NONCE, PLAINTEXT, AAD));

        // The replacement Cipher keeps working for other parameters and modes.
        byte[] otherNonce = CryptoRandom.bytes(AesGcm.NONCE_LENGTH);
        byte[] other = AesGcm.encrypt(KEY, otherNonce, PLAINTEXT, AAD);
        assertBytes("other nonce opens", PLAINTEXT, AesGcm.decrypt(KEY, otherNonce, other, AAD));
    }
}
