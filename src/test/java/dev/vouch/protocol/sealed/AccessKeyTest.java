package dev.vouch.protocol.sealed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.Hkdf;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AccessKeyTest {
    @Test
    void isSixteenBytesOfHkdfUnderItsLabel() {
        byte[] profileKey = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] accessKey = AccessKey.derive(profileKey);
        assertThat(accessKey).hasSize(16)
                .isEqualTo(Hkdf.derive(null, profileKey, "Vouch access key v1".getBytes(UTF_8), 16))
                .isNotEqualTo(Hkdf.derive(null, profileKey, "another label".getBytes(UTF_8), 16));
        assertThat(AccessKey.derive(profileKey)).as("deterministic").isEqualTo(accessKey);
        profileKey[31] ^= 1;
        assertThat(AccessKey.derive(profileKey)).isNotEqualTo(accessKey);
    }

    @Test
    void refusesProfileKeysOfAnotherLength() {
        assertThatThrownBy(() -> AccessKey.derive(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessKey.derive(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesOnlyTheSameSixteenBytes() {
        byte[] key = AccessKey.derive(AccessKey.generateProfileKey(new SecureRandom()));
        assertThat(AccessKey.matches(key, key.clone())).isTrue();
        for (int i = 0; i < key.length; i++) {
            byte[] other = key.clone();
            other[i] ^= (byte) 0x80;
            assertThat(AccessKey.matches(key, other)).as("byte %d differs", i).isFalse();
        }
        assertThat(AccessKey.matches(key, null)).isFalse();
        assertThat(AccessKey.matches(null, key)).isFalse();
        assertThat(AccessKey.matches(new byte[15], new byte[15])).isFalse();
    }
}
