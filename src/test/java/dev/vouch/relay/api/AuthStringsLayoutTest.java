package dev.vouch.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The signed strings byte for byte as docs/relay-protocol.md writes them, built here by hand. */
class AuthStringsLayoutTest {
    @Test
    void deviceBindingFollowsTheDocument() {
        DeviceIdentityKey key = DeviceIdentity.generate(new SecureRandom()).publicKey();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("Vouch device binding v1".getBytes(StandardCharsets.US_ASCII));
        expected.write(0);
        expected.writeBytes(new byte[] {0, 0, 0, 5});
        expected.writeBytes("alice".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(new byte[] {0, 0, 0, 3});
        expected.writeBytes(key.serialize());
        assertThat(AuthStrings.deviceBinding("alice", 3, key)).isEqualTo(expected.toByteArray());
    }

    @Test
    void authenticationFollowsTheDocument() {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("Vouch relay auth v1".getBytes(StandardCharsets.US_ASCII));
        expected.write(0);
        expected.writeBytes(challenge);
        expected.writeBytes(new byte[] {0, 0, 0, 3});
        expected.writeBytes("bob".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(new byte[] {0, 0, 1, 0});
        assertThat(AuthStrings.authentication(challenge, "bob", 256)).isEqualTo(expected.toByteArray());
    }
}
