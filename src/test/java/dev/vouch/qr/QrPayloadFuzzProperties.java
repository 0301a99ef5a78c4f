package dev.vouch.qr;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes {@link QrPayload#decode} with random text and with mutations of valid payloads. A scanner
 * feeds it whatever any QR code in front of the camera says, so the only outcomes allowed are a
 * payload that encodes back to exactly the input (one encoding per payload) or a
 * {@link QrPayloadException}.
 */
class QrPayloadFuzzProperties {
    private static final String QR_ALPHANUMERIC = Base45.ALPHABET;

    @Property(tries = 10_000)
    void randomTextNeverEscapesAsUncheckedException(@ForAll("randomText") String text) {
        assertOnlyTypedOutcomes(text);
    }

    @Property(tries = 10_000)
    void mutatedPayloadsNeverEscapeAsUncheckedException(@ForAll("mutatedPayloads") String text) {
        assertOnlyTypedOutcomes(text);
    }

    private static void assertOnlyTypedOutcomes(String text) {
        try {
            QrPayload payload = QrPayload.decode(text);
            assertThat(payload.encode()).isEqualTo(text);
        } catch (QrPayloadException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> randomText() {
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<String> alphanumericBody = Arbitraries.strings().withChars(QR_ALPHANUMERIC).ofMaxLength(300);
        Arbitrary<String> header = Arbitraries.of("VOUCH1:", "VOUCH2:", "VOUCH:", "VOUCH01:", "");
        return Arbitraries.oneOf(anyText, Combinators.combine(header, alphanumericBody).as(String::concat));
    }

    @Provide
    Arbitrary<String> mutatedPayloads() {
        Arbitrary<String> handles = Arbitraries.strings().ofMinLength(1).ofMaxLength(70)
                .filter(QrPayloadFuzzProperties::isValidHandle);
        Arbitrary<byte[]> fingerprints = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(130)
                .filter(f -> f.length <= QrPayload.MAX_FINGERPRINT_BYTES);
        Arbitrary<String> valid = Combinators.combine(handles, fingerprints).as((h, f) -> new QrPayload(h, f).encode());
        Arbitrary<Character> replacement = Arbitraries.oneOf(
                Arbitraries.of(QR_ALPHANUMERIC.chars().mapToObj(c -> (char) c).toList()), Arbitraries.chars());
        return Combinators.combine(valid, Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 500),
                        replacement)
                .as(QrPayloadFuzzProperties::mutate);
    }

    /** One mutation: replace, insert or delete a character, truncate, or append. */
    private static String mutate(String valid, int kind, int where, char c) {
        int at = where % (valid.length() + 1);
        int in = where % valid.length();
        StringBuilder out = new StringBuilder(valid);
        switch (kind) {
            case 0 -> out.setCharAt(in, c);
            case 1 -> out.insert(at, c);
            case 2 -> out.deleteCharAt(in);
            case 3 -> out.setLength(at);
            default -> out.append(c);
        }
        return out.toString();
    }

    private static boolean isValidHandle(String handle) {
        try {
            new QrPayload(handle, new byte[1]);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
