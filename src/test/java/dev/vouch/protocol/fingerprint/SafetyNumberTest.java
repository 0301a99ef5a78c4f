package dev.vouch.protocol.fingerprint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.Sha;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The algorithm spelled out step by step, the value rules, and the generator's bounds. */
class SafetyNumberTest {
    private static final byte[] KEY_A = filled(33, 0x05, 0x11);
    private static final byte[] KEY_B = filled(33, 0x05, 0x22);

    @Test
    void oneAndTwoIterationsFollowTheDefinitionLiterally() {
        byte[] h1 = Sha.sha512(new byte[] {0, 0}, KEY_A, "alice".getBytes(UTF_8), KEY_A);
        byte[] h2 = Sha.sha512(h1, KEY_A);
        PartyIdentity alice = new PartyIdentity(KEY_A, "alice");

        assertThat(IteratedHash.compute(Sha.newSha512(), alice, 1)).isEqualTo(h1);
        assertThat(IteratedHash.compute(Sha.newSha512(), alice, 2)).isEqualTo(h2);
        SafetyNumber number = new SafetyNumberGenerator(2).generate(alice, new PartyIdentity(KEY_B, "bob"));
        assertThat(number.localFingerprint()).isEqualTo(Arrays.copyOf(h2, 32));
    }

    @Test
    void digitsAreFortyBitChunksModuloOneHundredThousand() {
        byte[] hash = new byte[64];
        Arrays.fill(hash, 0, 5, (byte) 0xff);  // 2^40 - 1 = 1099511627775 -> 27775
        hash[9] = 7;                              // 7 -> 00007
        assertThat(DisplayableDigits.of(hash)).isEqualTo("27775" + "00007" + "00000".repeat(4));
    }

    @Test
    void keysAreHashedAsGivenWhateverTheirLength() {
        SafetyNumberGenerator generator = new SafetyNumberGenerator(3);
        SafetyNumber withPrefix = generator.generate(KEY_A, "a", KEY_B, "b");
        SafetyNumber withoutPrefix = generator.generate(Arrays.copyOfRange(KEY_A, 1, 33), "a", KEY_B, "b");
        SafetyNumber emptyKey = generator.generate(new byte[0], "a", KEY_B, "b");
        assertThat(withPrefix.displayable()).isNotEqualTo(withoutPrefix.displayable());
        assertThat(emptyKey.displayable()).hasSize(60);
    }

    @Test
    void groupsAreTwelveFivesInOrder() {
        SafetyNumber number = new SafetyNumberGenerator(2).generate(KEY_A, "alice", KEY_B, "bob");
        assertThat(number.groups()).hasSize(12).allMatch(group -> group.matches("[0-9]{5}"));
        assertThat(String.join("", number.groups())).isEqualTo(number.displayable());
        assertThat(number.toString()).contains(String.join(" ", number.groups()));
    }

    @Test
    void valuesCopyTheirBytes() {
        byte[] key = KEY_A.clone();
        PartyIdentity party = new PartyIdentity(key, "alice");
        key[0] = 0;
        party.publicKey()[1] = 0;
        assertThat(party.publicKey()).isEqualTo(KEY_A);

        SafetyNumber number = new SafetyNumberGenerator(2).generate(party, new PartyIdentity(KEY_B, "bob"));
        byte[] local = number.localFingerprint();
        local[0] ^= 1;
        assertThat(number.localFingerprint()).isNotEqualTo(local);
        assertThat(number).isEqualTo(new SafetyNumber(number.displayable(), number.localFingerprint(),
                number.remoteFingerprint()));
    }

    @Test
    void safetyNumberRejectsMalformedParts() {
        byte[] ok = new byte[32];
        assertThatThrownBy(() -> new SafetyNumber("1".repeat(59), ok, ok)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SafetyNumber("١".repeat(60), ok, ok)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SafetyNumber("1".repeat(60), new byte[31], ok))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScannableFingerprint(-1, ok, ok)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stableIdsWithoutAUtf8FormAreRefused() {
        assertThatThrownBy(() -> new PartyIdentity(KEY_A, "a\uD800b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartyIdentity(KEY_A, "\uDC00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PartyIdentity(KEY_A, "\uD83D\uDE00 +1415").stableId()).isEqualTo("😀 +1415");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, SafetyNumberGenerator.MAX_ITERATIONS + 1})
    void generatorRefusesIterationsOutOfRange(int iterations) {
        assertThatThrownBy(() -> new SafetyNumberGenerator(iterations))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iterations");
    }

    @Test
    void defaultIsSignalsIterationCount() {
        assertThat(new SafetyNumberGenerator().iterations()).isEqualTo(5200);
    }

    private static byte[] filled(int length, int first, int rest) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) rest);
        bytes[0] = (byte) first;
        return bytes;
    }
}
