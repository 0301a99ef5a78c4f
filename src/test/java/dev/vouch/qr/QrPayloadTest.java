package dev.vouch.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.protocol.fingerprint.SafetyNumberGenerator;
import dev.vouch.qr.QrPayloadException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vouch QR payload: format, limits, strictness, and the example in docs/qr-payload.md. */
class QrPayloadTest {
    private static final byte[] FINGERPRINT = new byte[70];

    static {
        Arrays.fill(FINGERPRINT, (byte) 0x42);
    }

    /** The documented example is computed here, so the documentation cannot drift from the code. */
    @Test
    void documentedExampleIsWhatTheCodeProduces() throws IOException, QrPayloadException {
        QrPayload example = documentedExample();
        String encoded = example.encode();
        String doc = Files.readString(Path.of("docs/qr-payload.md"));
        assertThat(doc).contains(HexFormat.of().formatHex(example.fingerprint()));
        assertThat(doc).contains("`" + encoded + "`");
        assertThat(QrPayload.decode(encoded)).isEqualTo(example);
    }

    /** Alice shows this to Bob: keys 05||11..11 (alice) and 05||22..22 (bob), 5200 iterations, version 2. */
    static QrPayload documentedExample() {
        byte[] alice = new byte[33];
        byte[] bob = new byte[33];
        Arrays.fill(alice, (byte) 0x11);
        Arrays.fill(bob, (byte) 0x22);
        alice[0] = 5;
        bob[0] = 5;
        SafetyNumber number = new SafetyNumberGenerator().generate(alice, "alice", bob, "bob");
        return new QrPayload("alice", number.scannable(2).toByteArray());
    }

    @Test
    void encodesToTheHeaderAndQrAlphanumericCharacters() throws QrPayloadException {
        QrPayload payload = new QrPayload("bob@example.org", FINGERPRINT);
        String text = payload.encode();
        assertThat(text).startsWith("VOUCH1:").matches("[0-9A-Z $%*+\\-./:]*");
        assertThat(QrPayload.decode(text)).isEqualTo(payload);
        assertThat(QrPayload.decode(text).encode()).isEqualTo(text);
    }

    @Test
    void handlesUpToSixtyFourUtf8BytesIncludingMultiByteCharacters() throws QrPayloadException {
        String sixtyFour = "ä".repeat(32);                  // 2 bytes each
        String emoji = "😀".repeat(16);                      // 4 bytes each
        for (String handle : new String[] {"a", sixtyFour, emoji, "x".repeat(64), "Zoë Ω"}) {
            QrPayload payload = new QrPayload(handle, FINGERPRINT);
            assertThat(QrPayload.decode(payload.encode()).handle()).isEqualTo(handle);
        }
        QrPayload largest = new QrPayload("x".repeat(64), new byte[QrPayload.MAX_FINGERPRINT_BYTES]);
        assertThat(QrPayload.decode(largest.encode())).isEqualTo(largest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "tab\there", "\u0000", "\u007f", "bad\uD800"})
    void refusesHandlesThatCannotBeShownOrEncoded(String handle) {
        assertThatThrownBy(() -> new QrPayload(handle, FINGERPRINT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOversizedHandlesAndFingerprints() {
        assertThatThrownBy(() -> new QrPayload("x".repeat(65), FINGERPRINT)).hasMessageContaining("65 UTF-8 bytes");
        assertThatThrownBy(() -> new QrPayload("ä".repeat(33), FINGERPRINT)).hasMessageContaining("66 UTF-8 bytes");
        assertThatThrownBy(() -> new QrPayload("a", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QrPayload("a", new byte[QrPayload.MAX_FINGERPRINT_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesTheFingerprint() {
        byte[] fingerprint = FINGERPRINT.clone();
        QrPayload payload = new QrPayload("a", fingerprint);
        fingerprint[0] = 0;
        payload.fingerprint()[1] = 0;
        assertThat(payload.fingerprint()).isEqualTo(FINGERPRINT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VOUCH2:", "VOUCH2:anything at all", "VOUCH17:AB", "VOUCH999999999:"})
    void newerVersionsAreReportedAsSuch(String text) {
        int expected = Integer.parseInt(text.substring(5, text.indexOf(':')));
        assertThatThrownBy(() -> QrPayload.decode(text))
                .isInstanceOfSatisfying(UnsupportedQrPayloadVersionException.class, e -> {
                    assertThat(e.version()).isEqualTo(expected);
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "url                 | https://example.org/     | NOT_A_VOUCH_CODE",
            "lower case          | vouch1:BB8               | NOT_A_VOUCH_CODE",
            "no version          | VOUCH:BB8                | NOT_A_VOUCH_CODE",
            "no colon            | VOUCH1                   | NOT_A_VOUCH_CODE",
            "leading space       | ' VOUCH1:'               | NOT_A_VOUCH_CODE",
            "leading zero        | VOUCH01:                 | MALFORMED",
            "version zero        | VOUCH0:                  | MALFORMED",
            "ten-digit version   | VOUCH1000000000:         | MALFORMED",
            "empty body          | VOUCH1:                  | MALFORMED",
            "bad base45          | VOUCH1:abc               | MALFORMED",
            "zero handle length  | VOUCH1:00                | MALFORMED",
    })
    void refusesTextThatIsNotAWellFormedVersionOnePayload(String description, String text, Reason reason) {
        assertThatThrownBy(() -> QrPayload.decode(text))
                .as(description)
                .isInstanceOfSatisfying(QrPayloadException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .isNotInstanceOf(UnsupportedQrPayloadVersionException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> QrPayload.decode(null)).isInstanceOf(QrPayloadException.class);
    }

    @Test
    void refusesBodiesWithWrongLengths() {
        byte[] handle = {'a'};
        assertMalformed(body(1, handle, 1, new byte[] {9}, new byte[] {0}), "unexpected bytes");  // trailing byte
        assertMalformed(body(1, handle, 2, new byte[] {9}, new byte[0]), "truncated");            // short fingerprint
        assertMalformed(body(2, handle, -1, new byte[0], new byte[0]), "truncated");              // short handle
        assertMalformed(body(1, handle, -1, new byte[0], new byte[0]), "ends before");            // no fingerprint
        assertMalformed(body(65, new byte[65], 1, new byte[] {9}, new byte[0]), "outside");       // handle too long
        assertMalformed(body(1, handle, 0, new byte[0], new byte[0]), "outside");                 // empty fingerprint
        assertMalformed(body(1, handle, 129, new byte[129], new byte[0]), "outside");             // fingerprint too long
        assertMalformed(body(2, new byte[] {(byte) 0xc3, 0x28}, 1, new byte[] {9}, new byte[0]), "UTF-8");
        assertMalformed(body(1, new byte[] {0x0a}, 1, new byte[] {9}, new byte[0]), "control character");
    }

    private static void assertMalformed(String text, String messagePart) {
        assertThatThrownBy(() -> QrPayload.decode(text))
                .isInstanceOfSatisfying(QrPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining(messagePart);
    }

    /** A version 1 text with the given raw fields; a negative fingerprint length leaves it out. */
    private static String body(int handleLength, byte[] handle, int fingerprintLength, byte[] fingerprint,
            byte[] trailing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(handleLength);
        out.writeBytes(handle);
        if (fingerprintLength >= 0) {
            out.write(fingerprintLength);
        }
        out.writeBytes(fingerprint);
        out.writeBytes(trailing);
        return "VOUCH1:" + Base45.encode(out.toByteArray());
    }
}
