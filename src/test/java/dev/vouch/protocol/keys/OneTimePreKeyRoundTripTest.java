package dev.vouch.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.X25519;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** A one-time prekey read back from its private encoding is the same key, whether or not its public part was derived. */
class OneTimePreKeyRoundTripTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void decodedKeyAgreesAndHasTheSamePublicPart() throws Exception {
        OneTimePreKey original = OneTimePreKey.generate(9, random);
        OneTimePreKey decoded = OneTimePreKey.decodePrivate(original.serializePrivate());
        assertThat(decoded.id()).isEqualTo(9);
        assertThat(decoded.serializePrivate()).isEqualTo(original.serializePrivate());

        // Agreement needs only the private key, before the public part is ever derived.
        X25519.KeyPair theirs = X25519.generate(random);
        assertThat(decoded.agree(theirs.publicKey()))
                .isEqualTo(X25519.agree(theirs.privateKey(), original.publicPart().publicKey()));

        assertThat(decoded.publicPart()).isEqualTo(original.publicPart());
        assertThat(decoded.publicPart()).isSameAs(decoded.publicPart());
    }
}
