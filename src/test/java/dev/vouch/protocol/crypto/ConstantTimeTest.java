package dev.vouch.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConstantTimeTest {

    @Test
    void equalContentsAreEqual() {
        byte[] a = {1, 2, 3, (byte) 0xff};
        assertThat(ConstantTime.equals(a, a.clone())).isTrue();
        assertThat(ConstantTime.equals(a, a)).isTrue();
        assertThat(ConstantTime.equals(new byte[0], new byte[0])).isTrue();
    }

    @Test
    void aDifferenceInAnyBitOfAnyByteIsFound() {
        byte[] a = CryptoRandom.bytes(32);
        for (int i = 0; i < a.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = a.clone();
                b[i] ^= (byte) (1 << bit);
                assertThat(ConstantTime.equals(a, b)).as("bit %d of byte %d", bit, i).isFalse();
            }
        }
    }

    @Test
    void differentLengthsAreNotEqualEvenAsPrefixes() {
        byte[] a = {1, 2, 3};
        assertThat(ConstantTime.equals(a, new byte[] {1, 2})).isFalse();
        assertThat(ConstantTime.equals(new byte[] {1, 2}, a)).isFalse();
        assertThat(ConstantTime.equals(a, new byte[] {1, 2, 3, 0})).isFalse();
        assertThat(ConstantTime.equals(new byte[0], new byte[] {0})).isFalse();
    }

    @Test
    void nullIsNeverEqual() {
        assertThat(ConstantTime.equals(null, null)).isFalse();
        assertThat(ConstantTime.equals(null, new byte[0])).isFalse();
        assertThat(ConstantTime.equals(new byte[0], null)).isFalse();
    }
}
