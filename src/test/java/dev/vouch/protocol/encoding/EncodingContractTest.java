package dev.vouch.protocol.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.message.Padding;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Encodings.Entry;
import dev.vouch.testing.Fuzz.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every decoder in the {@link Tag} registry keeps, checked for each type on a valid
 * sample: it reads back exactly what was written; it refuses an unknown version, an unknown type
 * code and any other type's valid encoding with {@link UnknownTypeException} before reading
 * further; and it refuses every truncation, trailing bytes, a byte missing in the middle and null
 * with {@link MalformedDataException} (not UnknownTypeException: the prefix is fine).
 */
class EncodingContractTest {
    static Stream<Entry> types() {
        return Encodings.all().stream();
    }

    static Stream<Arguments> samples() {
        return Encodings.all().stream().flatMap(e -> e.samples().stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void decodingThenEncodingGivesTheSameBytes(Entry type, Sample sample) throws Exception {
        assertThat(type.codec().decodeAndReencode(sample.bytes().clone())).isEqualTo(sample.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void unknownVersionsAreUnknownTypes(Entry type) {
        for (int version : new int[] {0, Tag.VERSION + 1, 0x7F, 0xFF}) {
            byte[] bytes = type.first().bytes().clone();
            bytes[0] = (byte) version;
            assertThatThrownBy(() -> type.codec().decodeAndReencode(bytes))
                    .as("version %d", version)
                    .isInstanceOf(UnknownTypeException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void unregisteredTypeCodesAreUnknownTypes(Entry type) {
        List<Integer> registered = Arrays.stream(Tag.values()).map(Tag::code).toList();
        IntStream.range(0, 256).filter(code -> !registered.contains(code)).forEach(code -> {
            byte[] bytes = type.first().bytes().clone();
            bytes[1] = (byte) code;
            assertThatThrownBy(() -> type.codec().decodeAndReencode(bytes))
                    .as("type code 0x%02x", code)
                    .isInstanceOf(UnknownTypeException.class);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyOtherTypesValidEncodingIsAnUnknownType(Entry type) {
        for (Entry other : Encodings.all()) {
            if (other.tag() == type.tag()) {
                continue;
            }
            for (Sample sample : other.samples()) {
                assertThatThrownBy(() -> type.codec().decodeAndReencode(sample.bytes().clone()))
                        .as("%s given to the %s decoder", sample, type)
                        .isInstanceOf(UnknownTypeException.class);
            }
        }
    }

    /**
     * Every cut is malformed, with one exception by design: a ratchet message's ciphertext runs to
     * the end of the encoding, so one cut exactly at a smaller padding bucket is a well-formed
     * message (which then fails authentication in SessionCipher). Those cuts must decode.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void everyTruncationIsMalformed(Entry type, Sample sample) throws Exception {
        byte[] valid = sample.bytes();
        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            if (type.tag() == Tag.RATCHET_MESSAGE && isRatchetMessageLength(length)) {
                assertThat(type.codec().decodeAndReencode(truncated)).isEqualTo(truncated);
                continue;
            }
            Throwable refusal = catchThrowable(() -> type.codec().decodeAndReencode(truncated));
            assertThat(refusal).as("%s cut to %d of %d bytes", sample, length, valid.length)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
    }

    private static boolean isRatchetMessageLength(int length) {
        int padded = length - RatchetMessage.HEADER_LENGTH - AesGcm.TAG_LENGTH;
        return padded >= Padding.MIN_BUCKET && padded <= Padding.MAX_PADDED && Integer.bitCount(padded) == 1;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void trailingBytesAreMalformed(Entry type, Sample sample) {
        for (int extra : new int[] {1, 2, 16, 1000}) {
            byte[] longer = Arrays.copyOf(sample.bytes(), sample.bytes().length + extra);
            assertThatThrownBy(() -> type.codec().decodeAndReencode(longer))
                    .as("%s with %d zero bytes appended", sample, extra)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("samples")
    void aByteMissingInTheMiddleIsMalformed(Entry type, Sample sample) {
        byte[] valid = sample.bytes();
        int middle = valid.length / 2;
        byte[] shorter = new byte[valid.length - 1];
        System.arraycopy(valid, 0, shorter, 0, middle);
        System.arraycopy(valid, middle + 1, shorter, middle, valid.length - middle - 1);
        assertThatThrownBy(() -> type.codec().decodeAndReencode(shorter))
                .isExactlyInstanceOf(MalformedDataException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void nullIsMalformed(Entry type) {
        assertThatThrownBy(() -> type.codec().decodeAndReencode(null))
                .isExactlyInstanceOf(MalformedDataException.class);
    }
}
