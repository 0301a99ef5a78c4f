package dev.vouch.relay.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandlesTest {
    @ParameterizedTest
    @CsvSource({
        "alice, alice",
        "Alice, alice",
        "ALICE.B_c-9, alice.b_c-9",
        "abc, abc",
        "a_9, a_9",
        "abcdefghijklmnopqrstuvwxyz012345, abcdefghijklmnopqrstuvwxyz012345",
        "\uFF21\uFF4C\uFF49\uFF43\uFF45, alice",   // fullwidth letters fold under NFKC
        "\u212Aelvin, kelvin",                     // KELVIN SIGN is K under NFKC
        "bob_, bob_",
    })
    void validHandlesNormalize(String raw, String expected) {
        assertThat(Handles.normalize(raw)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "abcdefghijklmnopqrstuvwxyz0123456", "1abc", "_abc", ".abc", "abc.", "abc-",
        "a b c", "al\u00E9x", "\u0130stanbul", "ali\u0000ce", "alice\n", "ali@ce", "\u0430lice", "al/ice", "a..."})
    void invalidHandlesAreRefused(String raw) {
        assertThat(Handles.normalize(raw)).isEmpty();
        assertThatThrownBy(() -> Handles.require(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Handles.RULE);
    }

    @Test
    void nullAndHugeInputsAreRefusedCheaply() {
        assertThat(Handles.normalize(null)).isEqualTo(Optional.empty());
        assertThat(Handles.normalize("a".repeat(100_000))).isEmpty();
    }

    @Test
    void signedStringsHaveTheDocumentedLayout() {
        var device = DeviceIdentity.generate(new SecureRandom()).publicKey();
        byte[] binding = AuthStrings.deviceBinding("Alice", 1, device);
        byte[] expectedBinding = new ByteWriter().fixed("Vouch device binding v1\0".getBytes(StandardCharsets.US_ASCII))
                .u32(5).fixed("alice".getBytes(StandardCharsets.US_ASCII)).u32(1).fixed(device.serialize()).toByteArray();
        assertThat(binding).isEqualTo(expectedBinding);

        byte[] challenge = new byte[32];
        challenge[0] = 7;
        byte[] auth = AuthStrings.authentication(challenge, "ALICE", 2);
        byte[] expectedAuth = new ByteWriter().fixed("Vouch relay auth v1\0".getBytes(StandardCharsets.US_ASCII))
                .fixed(challenge).u32(5).fixed("alice".getBytes(StandardCharsets.US_ASCII)).u32(2).toByteArray();
        assertThat(auth).isEqualTo(expectedAuth);
        assertThat(AuthStrings.authentication(challenge, "alice", 3)).isNotEqualTo(expectedAuth);
        assertThatThrownBy(() -> AuthStrings.authentication(new byte[31], "alice", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthStrings.deviceBinding("no", 1, device)).isInstanceOf(IllegalArgumentException.class);
    }
}
