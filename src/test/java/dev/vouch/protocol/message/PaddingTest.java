package dev.vouch.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.MessageTooLargeException;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Padding at its bucket boundaries: a plaintext needs one byte more than its length (the 0x80
 * marker), so 255 bytes still fit the 256-byte bucket and 256 need the next one; 1 MiB - 1 is
 * the largest plaintext and 1 MiB is refused. Unpadding refuses anything an honest sender would
 * not have produced.
 */
class PaddingTest {
    private static final int MIB = 1 << 20;

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({
            "0, 256", "1, 256", "254, 256", "255, 256", "256, 512", "511, 512", "512, 1024",
            "524287, 524288", "524288, 1048576", "1048575, 1048576"})
    void plaintextsFillTheSmallestBucketWithRoomForTheMarker(int length, int bucket) throws Exception {
        assertThat(Padding.bucketFor(length)).isEqualTo(bucket);
        byte[] plaintext = new byte[length];
        Arrays.fill(plaintext, (byte) 0x80); // content that looks like the marker must not confuse unpadding
        byte[] padded = Padding.pad(plaintext);
        assertThat(padded).hasSize(bucket);
        assertThat(padded[length]).isEqualTo((byte) 0x80);
        assertThat(Padding.unpad(padded)).isEqualTo(plaintext);
    }

    @Test
    void contentEndingInZerosSurvives() throws Exception {
        byte[] plaintext = {1, 0, 0, 0};
        assertThat(Padding.unpad(Padding.pad(plaintext))).isEqualTo(plaintext);
        assertThat(Padding.unpad(Padding.pad(new byte[255]))).isEqualTo(new byte[255]);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {MIB, MIB + 1, 2 * MIB})
    void plaintextsOfOneMibOrMoreAreTooLarge(int length) {
        assertThat(Padding.MAX_PLAINTEXT).isEqualTo(MIB - 1);
        assertThatThrownBy(() -> Padding.pad(new byte[length])).isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void malformedPaddingIsAnInvalidMessage() {
        byte[][] malformed = {
                new byte[0],
                new byte[256], // all zeros: no marker
                withTail(256, 10, (byte) 0x01), // last non-zero byte is not the marker
                withTail(256, 255, (byte) 0x7F),
                withTail(300, 20, (byte) 0x80), // not a bucket size
                withTail(255, 254, (byte) 0x80), // one short of the smallest bucket
                withTail(128, 10, (byte) 0x80), // below the smallest bucket
                withTail(512, 10, (byte) 0x80), // content fits 256: a larger bucket than needed
                withTail(512, 255, (byte) 0x80), // 255 bytes of content fit 256
                withTail(256, 254, (byte) 0x80, (byte) 0x01), // marker followed by non-zero
        };
        for (byte[] padded : malformed) {
            assertThatThrownBy(() -> Padding.unpad(padded)).as("%d bytes", padded.length)
                    .isExactlyInstanceOf(InvalidMessageException.class);
        }
    }

    @Test
    void theLargestPlaintextTravelsThroughASessionAndOneByteMoreIsRefused() throws Exception {
        SecureRandom random = new SecureRandom();
        Party alice = new Party("alice", 1, random);
        Party bob = new Party("bob", 1, random);
        alice.builderFor(bob).process(bob.bundle());
        byte[] largest = new byte[Padding.MAX_PLAINTEXT];
        random.nextBytes(largest);
        assertThat(bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(largest))).isEqualTo(largest);
        byte[] before = alice.store().rawSession(bob.address()).orElseThrow();
        assertThatThrownBy(() -> alice.cipherFor(bob).encrypt(new byte[MIB])).isInstanceOf(MessageTooLargeException.class);
        assertThat(alice.store().rawSession(bob.address()).orElseThrow()).isEqualTo(before);
    }

    /** {@code length} zero bytes with {@code tail} written from {@code at}. */
    private static byte[] withTail(int length, int at, byte... tail) {
        byte[] out = new byte[length];
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }
}
