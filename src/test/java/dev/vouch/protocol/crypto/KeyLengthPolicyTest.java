package dev.vouch.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wrong-length keys from outside (a peer's public key, a stored seed, a received ciphertext) are
 * refused with InvalidKeyMaterialException or, for signatures and MACs, a plain "does not verify";
 * never with an unchecked exception from deep inside BouncyCastle.
 */
class KeyLengthPolicyTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 31, 33, 64})
    void x25519RefusesWrongLengthKeys(int length) {
        byte[] wrong = new byte[length];
        byte[] good = X25519.generate(CryptoRandom.get()).privateKey();
        byte[] peer = X25519.generate(CryptoRandom.get()).publicKey();
        assertThatThrownBy(() -> X25519.agree(good, wrong)).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> X25519.agree(wrong, peer)).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> X25519.agree(good, null)).isInstanceOf(InvalidKeyMaterialException.class);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 31, 33, 63, 65})
    void ed25519WrongLengthKeysAndSignaturesDoNotVerify(int length) {
        Ed25519.KeyPair pair = Ed25519.generate(CryptoRandom.get());
        byte[] message = {1, 2, 3};
        byte[] signature = pair.sign(message);
        assertThat(Ed25519.verify(pair.publicKey(), message, signature)).isTrue();
        assertThat(Ed25519.verify(new byte[length], message, signature)).isFalse();
        assertThat(Ed25519.verify(pair.publicKey(), message, new byte[length])).isFalse();
        assertThat(Ed25519.verify(null, message, signature)).isFalse();
        assertThat(Ed25519.verify(pair.publicKey(), null, signature)).isFalse();
        // Our own private key of the wrong length is a programming error, not peer input.
        assertThatThrownBy(() -> Ed25519.publicKeyOf(new byte[length])).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 32, 63, 65, 2400})
    void mlKemRefusesWrongLengthSeeds(int length) {
        byte[] seed = new byte[length];
        assertThatThrownBy(() -> MlKem768.fromSeed(seed)).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> MlKem768.expandedPrivateKey(seed)).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> MlKem768.decapsulate(seed, new byte[MlKem768.CIPHERTEXT_LENGTH]))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1183, 1185, 2400})
    void mlKemRefusesWrongLengthPublicKeys(int length) {
        byte[] ek = new byte[length];
        assertThatThrownBy(() -> MlKem768.encapsulate(ek, CryptoRandom.get()))
                .isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> MlKem768.encapsulateDeterministic(ek, new byte[32]))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 16, 31, 33, 64})
    void hmacVerifyRefusesEveryTagThatIsNotFullLength(int length) {
        byte[] key = CryptoRandom.bytes(32);
        byte[] message = {1, 2, 3};
        byte[] tag = HmacSha256.mac(key, message);
        byte[] resized = Arrays.copyOf(tag, length);
        assertThat(HmacSha256.verify(key, message, tag)).isTrue();
        assertThat(HmacSha256.verify(key, message, resized)).isFalse();
    }
}
