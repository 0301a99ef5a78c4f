package dev.vouch.protocol.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict parser: each way a received code can be malformed, and the version rule. */
class ScannableFingerprintTest {
    private static final String LOCAL = "11".repeat(32);
    private static final String REMOTE = "22".repeat(32);
    private static final String CANONICAL_V2 = "0802" + "12220a20" + LOCAL + "1a220a20" + REMOTE;

    @Test
    void largeVersionsUseMultiByteVarints() throws FingerprintParsingException {
        ScannableFingerprint big = new ScannableFingerprint(300, bytes(LOCAL), bytes(REMOTE));
        assertThat(HexFormat.of().formatHex(big.toByteArray())).startsWith("08ac02");
        assertThat(ScannableFingerprint.parse(big.toByteArray())).isEqualTo(big);
        ScannableFingerprint max = new ScannableFingerprint(Integer.MAX_VALUE, bytes(LOCAL), bytes(REMOTE));
        assertThat(ScannableFingerprint.parse(max.toByteArray())).isEqualTo(max);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "empty, ''",
            "version only, 0802",
            "missing version, 12220a20" + "11111111111111111111111111111111111111111111111111111111111111111a220a20"
                    + "2222222222222222222222222222222222222222222222222222222222222222",
            "version as length-delimited, 0a0102",
            "non-minimal version varint, 088200",
            "version over 32 bits, 08ffffffff1f",
            "version over int range, 0880808080080000",
            "varint longer than five bytes, 08808080808001",
            "truncated varint, 0880",
            "fields swapped, 08021a220a20",
            "logical too short, 080212210a1f",
            "logical too long, 080212230a21",
            "wrong inner tag, 080212221220",
            "truncated content, 080212220a201111",
    })
    void rejectsMalformedBytes(String description, String hex) {
        assertThatThrownBy(() -> ScannableFingerprint.parse(bytes(hex)))
                .as(description)
                .isInstanceOf(FingerprintParsingException.class);
    }

    @Test
    void rejectsTrailingBytesAndNull() {
        assertThatThrownBy(() -> ScannableFingerprint.parse(bytes(CANONICAL_V2 + "00")))
                .isInstanceOf(FingerprintParsingException.class)
                .hasMessageContaining("unexpected bytes");
        assertThatThrownBy(() -> ScannableFingerprint.parse(null)).isInstanceOf(FingerprintParsingException.class);
    }

    @Test
    void versionMismatchIsDistinctFromMalformedInput() throws FingerprintParsingException {
        ScannableFingerprint ours = new ScannableFingerprint(1, bytes(REMOTE), bytes(LOCAL));
        ScannableFingerprint theirs = ScannableFingerprint.parse(bytes(CANONICAL_V2));
        assertThatThrownBy(() -> ours.matches(theirs))
                .isInstanceOfSatisfying(FingerprintVersionMismatchException.class, e -> {
                    assertThat(e.theirVersion()).isEqualTo(2);
                    assertThat(e.ourVersion()).isEqualTo(1);
                });
    }

    @Test
    void matchesOnlyTheMirrorImage() throws FingerprintException {
        ScannableFingerprint ours = new ScannableFingerprint(2, bytes(REMOTE), bytes(LOCAL));
        assertThat(ours.matches(bytes(CANONICAL_V2))).isTrue();
        assertThat(ours.matches(ours.toByteArray())).isFalse();
        byte[] oneBitOff = bytes(CANONICAL_V2);
        oneBitOff[oneBitOff.length - 1] ^= 1;
        assertThat(ours.matches(oneBitOff)).isFalse();
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
