package dev.vouch.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.MlKem768;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A KEM prekey read back from its private encoding is the same key, whether or not its public part was derived. */
class KemPreKeyRoundTripTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void decodedKeyHasTheSamePublicPartAndDecapsulates() throws Exception {
        DeviceIdentity device = DeviceIdentity.generate(random);
        KemPreKey original = KemPreKey.generate(42, false, device, 1234L, random);
        KemPreKey decoded = KemPreKey.decodePrivate(original.serializePrivate());

        assertThat(decoded.id()).isEqualTo(42);
        assertThat(decoded.lastResort()).isFalse();
        assertThat(decoded.createdAtMillis()).isEqualTo(1234L);
        assertThat(decoded.serializePrivate()).isEqualTo(original.serializePrivate());

        // Decapsulation needs only the seed, before the public part is ever derived.
        MlKem768.Encapsulation encapsulation = MlKem768.encapsulate(original.publicPart().publicKey(), random);
        assertThat(decoded.decapsulate(encapsulation.ciphertext())).isEqualTo(encapsulation.sharedSecret());

        assertThat(decoded.publicPart()).isEqualTo(original.publicPart());
        assertThat(decoded.publicPart()).isSameAs(decoded.publicPart());
        decoded.publicPart().verify(device.publicKey());
    }

    @Test
    void lastResortFlagSurvivesTheRoundTrip() throws Exception {
        DeviceIdentity device = DeviceIdentity.generate(random);
        KemPreKey original = KemPreKey.generate(7, true, device, 0L, random);
        KemPreKey decoded = KemPreKey.decodePrivate(original.serializePrivate());
        assertThat(decoded.lastResort()).isTrue();
        assertThat(decoded.publicPart()).isEqualTo(original.publicPart());
    }
}
