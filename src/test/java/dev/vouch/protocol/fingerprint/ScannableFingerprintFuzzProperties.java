package dev.vouch.protocol.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the parser of received codes with random bytes and with mutations of valid encodings.
 * Whatever arrives, the only outcomes allowed are a value that re-encodes to exactly the input
 * (the parser accepts only the canonical form) or one of the typed fingerprint exceptions.
 */
class ScannableFingerprintFuzzProperties {
    private static final ScannableFingerprint OURS = new ScannableFingerprint(2, filled(0x5a), filled(0xa5));

    @Property(tries = 10_000)
    void randomBytesNeverEscapeAsUncheckedExceptions(@ForAll("randomBytes") byte[] input) {
        assertOnlyTypedOutcomes(input);
    }

    @Property(tries = 10_000)
    void mutatedEncodingsNeverEscapeAsUncheckedExceptions(@ForAll("mutatedEncodings") byte[] input) {
        assertOnlyTypedOutcomes(input);
    }

    private static void assertOnlyTypedOutcomes(byte[] input) {
        byte[] copy = input.clone();
        try {
            ScannableFingerprint parsed = ScannableFingerprint.parse(input);
            assertThat(parsed.toByteArray()).isEqualTo(input);
        } catch (FingerprintParsingException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            OURS.matches(input);
        } catch (FingerprintException expected) {
            assertThat(expected).isInstanceOfAny(FingerprintParsingException.class,
                    FingerprintVersionMismatchException.class);
        }
        assertThat(input).as("the parser must not modify its input").isEqualTo(copy);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(160);
    }

    @Provide
    Arbitrary<byte[]> mutatedEncodings() {
        Arbitrary<byte[]> valid = Combinators.combine(
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofSize(32),
                        Arbitraries.bytes().array(byte[].class).ofSize(32))
                .as((version, local, remote) -> new ScannableFingerprint(version, local, remote).toByteArray());
        return Combinators.combine(valid, Arbitraries.integers().between(0, 6),
                        Arbitraries.integers().between(0, 200), Arbitraries.bytes(),
                        Arbitraries.integers().between(1, 8))
                .as(ScannableFingerprintFuzzProperties::mutate);
    }

    /** One mutation of a valid encoding: flip, overwrite, insert, delete, truncate, extend, repeat. */
    private static byte[] mutate(byte[] valid, int kind, int where, byte value, int count) {
        int at = where % (valid.length + 1);
        int in = where % valid.length;
        byte[] out;
        switch (kind) {
            case 0 -> {
                out = valid.clone();
                out[in] ^= (byte) (1 << (count % 8));
            }
            case 1 -> {
                out = valid.clone();
                out[in] = value;
            }
            case 2 -> {
                out = new byte[valid.length + 1];
                System.arraycopy(valid, 0, out, 0, at);
                out[at] = value;
                System.arraycopy(valid, at, out, at + 1, valid.length - at);
            }
            case 3 -> {
                out = new byte[valid.length - 1];
                System.arraycopy(valid, 0, out, 0, in);
                System.arraycopy(valid, in + 1, out, in, valid.length - in - 1);
            }
            case 4 -> out = Arrays.copyOf(valid, at);
            case 5 -> {
                out = Arrays.copyOf(valid, valid.length + count);
                Arrays.fill(out, valid.length, out.length, value);
            }
            default -> {
                int length = Math.min(count, valid.length - in);  // repeat valid[in, in + length)
                out = new byte[valid.length + length];
                System.arraycopy(valid, 0, out, 0, in + length);
                System.arraycopy(valid, in, out, in + length, valid.length - in);
            }
        }
        return out;
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
