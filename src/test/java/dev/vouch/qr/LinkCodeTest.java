package dev.vouch.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The link code's text form (docs/qr-payload.md, "Link codes"): strict both ways, typed refusals. */
class LinkCodeTest {
    private static final LinkCode CODE = new LinkCode(filled(32, 1), filled(16, 2), Instant.ofEpochMilli(1_800_000_000_000L),
            filled(66, 3), "vouch://relay?host=127.0.0.1&port=4433&pin=abc", "Laptop");

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void roundTripsThroughTextAndAQrImage() throws Exception {
        String text = CODE.encode();
        assertThat(text).startsWith("VOUCHLINK1:");
        assertThat(text.substring("VOUCHLINK1:".length())).matches("[0-9A-Z $%*+\\-./:]+");
        assertThat(LinkCode.decode(text)).isEqualTo(CODE);
        assertThat(LinkCode.decode(text).encode()).isEqualTo(text);
        assertThat(QrCodes.decode(QrCodes.encode(text))).contains(text);
        assertThat(CODE.toString()).doesNotContain(java.util.HexFormat.of().formatHex(CODE.secret()));
    }

    @Test
    void aContactsSafetyCodeIsNamedForWhatItIs() {
        String safety = new QrPayload("bob", new byte[] {1, 2, 3}).encode();
        assertThatThrownBy(() -> LinkCode.decode(safety)).isInstanceOfSatisfying(QrPayloadException.class, e -> {
            assertThat(e.reason()).isEqualTo(QrPayloadException.Reason.WRONG_KIND);
            assertThat(e.getMessage()).contains("this is a contact's safety code, not a link code");
        });
    }

    @Test
    void otherTextOtherVersionsAndDamagedCodesAreRefusedByType() throws Exception {
        assertThat(reason("hello")).isEqualTo(QrPayloadException.Reason.NOT_A_VOUCH_CODE);
        assertThat(reason(null)).isEqualTo(QrPayloadException.Reason.NOT_A_VOUCH_CODE);
        assertThat(reason("VOUCHLINK2:" + CODE.encode().substring(11))).isEqualTo(QrPayloadException.Reason.UNSUPPORTED_VERSION);
        String text = CODE.encode();
        assertThat(reason(text.substring(0, text.length() - 6))).isEqualTo(QrPayloadException.Reason.MALFORMED);
        assertThat(reason(text + "00")).as("a trailing byte").isEqualTo(QrPayloadException.Reason.MALFORMED);
        assertThat(reason(text.replace(':', 'x').replaceFirst("VOUCHLINK1x", "VOUCHLINK1:")))
                .as("not Base45 any more, or not the same fields").isIn(QrPayloadException.Reason.MALFORMED);
        assertThat(reason("VOUCHLINK1:")).isEqualTo(QrPayloadException.Reason.MALFORMED);
    }

    @Test
    void fieldsOutOfRangeCannotBeMade() {
        assertThatThrownBy(() -> new LinkCode(filled(31, 1), filled(16, 2), Instant.EPOCH, filled(66, 3), "x", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkCode(filled(32, 1), filled(16, 2), Instant.EPOCH, filled(66, 3), "x",
                "a\u0007bell")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkCode(filled(32, 1), filled(16, 2), Instant.EPOCH, filled(66, 3), "x",
                "n".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }

    private static QrPayloadException.Reason reason(String text) {
        try {
            LinkCode.decode(text);
            throw new AssertionError("decoded: " + text);
        } catch (QrPayloadException e) {
            return e.reason();
        }
    }
}
