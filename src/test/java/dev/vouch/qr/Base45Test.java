package dev.vouch.qr;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Base45 against the examples of RFC 9285 section 4.3, and its strict decoding rules. */
class Base45Test {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AB      | BB8",
            "Hello!! | %69 VD92EX0",
            "base-45 | UJCLQE7W581",
            "ietf!   | QED8WEX0",
    })
    void matchesTheRfcExamples(String plain, String encoded) throws QrPayloadException {
        assertThat(Base45.encode(plain.getBytes(UTF_8))).isEqualTo(encoded);
        assertThat(new String(Base45.decode(encoded), UTF_8)).isEqualTo(plain);
    }

    @Test
    void emptyIsEmpty() throws QrPayloadException {
        assertThat(Base45.encode(new byte[0])).isEmpty();
        assertThat(Base45.decode("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GGW",      // 65536, one more than two bytes hold (RFC 9285 section 6)
            ":::",      // 91124
            "U8",       // 8 * 45 + 30 = 390 > 255 in a final pair
            "A",        // a single dangling character
            "BB8A",
            "bb8",      // lower case is not base45
            "BB=",
            "BB\u00e9",
    })
    void refusesInvalidText(String text) {
        assertThatThrownBy(() -> Base45.decode(text))
                .isInstanceOfSatisfying(QrPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(QrPayloadException.Reason.MALFORMED));
    }

    @Property(tries = 1000)
    void roundTripsAnyBytes(@ForAll byte[] data) throws QrPayloadException {
        String text = Base45.encode(data);
        assertThat(text).matches("[0-9A-Z $%*+\\-./:]*");
        assertThat(Base45.decode(text)).isEqualTo(data);
    }
}
