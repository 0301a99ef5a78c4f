package dev.vouch.protocol.sealed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.MessageTooLargeException;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sealed sender end to end: a session message sealed by Alice's device is opened by Bob's, names
 * Alice, and decrypts in her session; every changed byte, another recipient, a certificate naming
 * someone else, and low-order keys are refused with typed exceptions only.
 */
class SealedSenderTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Party alice;
    private static Party bob;
    private static SenderCertificate aliceCertificate;
    private static byte[] firstMessage;

    @BeforeAll
    static void aliceStartsASessionWithBob() throws Exception {
        alice = new Party("alice", 1, RANDOM);
        bob = new Party("bob", 1, RANDOM);
        alice.builderFor(bob).process(bob.bundle());
        firstMessage = alice.cipherFor(bob).encrypt("hello bob".getBytes(UTF_8));
        aliceCertificate = new SenderCertificate("alice", 1, alice.identity().publicKey());
    }

    private static byte[] sealFromAliceToBob() throws Exception {
        return SealedSender.seal(alice.identity(), aliceCertificate, bob.identity().publicKey(),
                ContentType.SESSION_MESSAGE, firstMessage, RANDOM);
    }

    @Test
    void theRecipientLearnsTheSenderAndDecryptsTheInnerMessage() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        UnsealedMessage opened = SealedSender.open(bob.identity(), envelope);
        assertThat(opened.sender()).isEqualTo(aliceCertificate);
        assertThat(opened.type()).isEqualTo(ContentType.SESSION_MESSAGE);
        assertThat(opened.inner()).isEqualTo(firstMessage);
        assertThat(envelope.length).isEqualTo(firstMessage.length + SealedEnvelope.OVERHEAD);
        byte[] plaintext = new SessionCipher(bob.store(), opened.sender().address()).decrypt(opened.inner());
        assertThat(new String(plaintext, UTF_8)).isEqualTo("hello bob");
    }

    @Test
    void theEnvelopeDoesNotCarryTheSenderInTheClear() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        DeviceIdentityKey key = alice.identity().publicKey();
        for (byte[] needle : new byte[][] {key.signingKey(), key.agreementKey(), "alice".getBytes(UTF_8)}) {
            assertThat(indexOf(envelope, needle)).isEqualTo(-1);
        }
        assertThat(sealFromAliceToBob()).as("a fresh ephemeral key each time").isNotEqualTo(envelope);
    }

    @Test
    void theEnvelopeSizeDoesNotDependOnTheHandle() throws Exception {
        DeviceIdentity sender = DeviceIdentity.generate(RANDOM);
        byte[] inner = ratchetLikeInner();
        int shortHandle = SealedSender.seal(sender, new SenderCertificate("abc", 1, sender.publicKey()),
                bob.identity().publicKey(), ContentType.SESSION_MESSAGE, inner, RANDOM).length;
        int longHandle = SealedSender.seal(sender, new SenderCertificate("a".repeat(32), 1, sender.publicKey()),
                bob.identity().publicKey(), ContentType.SESSION_MESSAGE, inner, RANDOM).length;
        assertThat(longHandle).isEqualTo(shortHandle);
    }

    @Test
    void anotherRecipientCannotOpenIt() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        DeviceIdentity carol = DeviceIdentity.generate(RANDOM);
        assertThatThrownBy(() -> SealedSender.open(carol, envelope))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("layer 1");
    }

    /**
     * Mallory seals with her own key but a certificate naming Alice's handle and key: layer 2
     * authenticates (it was made with Mallory's key), and the mismatch with layer 1 is refused.
     */
    @Test
    void aCertificateNamingAnotherKeyThanLayerOneIsRefused() throws Exception {
        DeviceIdentity mallory = DeviceIdentity.generate(RANDOM);
        SealedContent forged = new SealedContent(aliceCertificate, ContentType.SESSION_MESSAGE, ratchetLikeInner());
        byte[] envelope = SealedSender.sealUnchecked(mallory, forged, bob.identity().publicKey(), RANDOM);
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), envelope))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("another key than layer 1");
        assertThatThrownBy(() -> SealedSender.seal(mallory, aliceCertificate, bob.identity().publicKey(),
                ContentType.SESSION_MESSAGE, ratchetLikeInner(), RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Layers of two genuine envelopes do not mix: each layer 2 is bound to its own ephemeral key and layer 1. */
    @Test
    void layersOfTwoEnvelopesCannotBeSpliced() throws Exception {
        byte[] one = sealFromAliceToBob();
        byte[] other = sealFromAliceToBob();
        byte[] spliced = one.clone();
        int layer2 = SealedEnvelope.LENGTH_OFFSET;
        System.arraycopy(other, layer2, spliced, layer2, other.length - layer2);
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), spliced))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("layer 2");
        byte[] newEphemeral = other.clone();
        System.arraycopy(one, 2, newEphemeral, 2, X25519.KEY_LENGTH);
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), newEphemeral))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("layer 1");
    }

    /** Mallory wraps Alice's prekey message in an envelope of her own: it names another sender than Mallory. */
    @Test
    void aPrekeyMessageFromAnotherIdentityIsRefused() throws Exception {
        DeviceIdentity mallory = DeviceIdentity.generate(RANDOM);
        SenderCertificate malloryCertificate = new SenderCertificate("mallory", 1, mallory.publicKey());
        SealedContent rewrapped = new SealedContent(malloryCertificate, ContentType.SESSION_MESSAGE, firstMessage);
        byte[] envelope = SealedSender.sealUnchecked(mallory, rewrapped, bob.identity().publicKey(), RANDOM);
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), envelope))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("prekey message");
    }

    /**
     * One bit changed in each byte of the envelope (the bit rotates with the position), each region
     * refused with its own typed exception: the prefix as an unknown type, the layer-2 length as
     * malformed, everything else (ephemeral key, both ciphertexts and tags) as failing authentication.
     */
    @Test
    void everyChangedByteIsRefusedWithTheTypeOfItsRegion() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        int lengthField = SealedEnvelope.LENGTH_OFFSET;
        for (int i = 0; i < envelope.length; i++) {
            byte[] tampered = envelope.clone();
            tampered[i] ^= (byte) (1 << (i % 8));
            Throwable refusal = catchThrowable(() -> SealedSender.open(bob.identity(), tampered));
            Class<?> expected = i < 2 ? UnknownTypeException.class
                    : i >= lengthField && i < lengthField + 4 ? MalformedDataException.class
                    : InvalidMessageException.class;
            assertThat(refusal).as("bit %d of byte %d of %d", i % 8, i, envelope.length).isExactlyInstanceOf(expected);
        }
    }

    @Test
    void truncatedOrExtendedEnvelopesAreMalformed() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        for (int length : new int[] {0, 1, 2, 33, 34, 115, 116, 119, 120, envelope.length - 16, envelope.length - 1}) {
            assertThatThrownBy(() -> SealedSender.open(bob.identity(), Arrays.copyOf(envelope, length)))
                    .as("cut to %d", length).isExactlyInstanceOf(MalformedDataException.class);
        }
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), Arrays.copyOf(envelope, envelope.length + 1)))
                .isExactlyInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), null))
                .isExactlyInstanceOf(MalformedDataException.class);
    }

    @Test
    void aLowOrderEphemeralKeyIsRefused() throws Exception {
        byte[] envelope = sealFromAliceToBob();
        Arrays.fill(envelope, 2, 2 + X25519.KEY_LENGTH, (byte) 0); // zero is a low-order point
        assertThatThrownBy(() -> SealedSender.open(bob.identity(), envelope))
                .isExactlyInstanceOf(InvalidMessageException.class).hasMessageContaining("ephemeral key refused");
    }

    @Test
    void aLowOrderRecipientKeyCannotBeSealedTo() {
        DeviceIdentityKey lowOrder = new DeviceIdentityKey(bob.identity().publicKey().signingKey(), new byte[32]);
        assertThatThrownBy(() -> SealedSender.seal(alice.identity(), aliceCertificate, lowOrder,
                ContentType.SESSION_MESSAGE, firstMessage, RANDOM))
                .isInstanceOf(dev.vouch.protocol.InvalidPreKeyException.class);
    }

    @Test
    void anInnerMessageThatIsNotASessionMessageCannotBeSealed() {
        assertThatThrownBy(() -> SealedSender.seal(alice.identity(), aliceCertificate, bob.identity().publicKey(),
                ContentType.SESSION_MESSAGE, new byte[] {1, 2, 3}, RANDOM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SealedSender.seal(alice.identity(), aliceCertificate, bob.identity().publicKey(),
                ContentType.SESSION_MESSAGE, new byte[SealedContent.MAX_INNER + 1], RANDOM))
                .isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void handlesAreCheckedAndKeptExactly() throws Exception {
        DeviceIdentity sender = DeviceIdentity.generate(RANDOM);
        String handle = "zoë.ünïcode";
        byte[] envelope = SealedSender.seal(sender, new SenderCertificate(handle, 7, sender.publicKey()),
                bob.identity().publicKey(), ContentType.SESSION_MESSAGE, ratchetLikeInner(), RANDOM);
        assertThat(SealedSender.open(bob.identity(), envelope).sender().handle()).isEqualTo(handle);
        assertThat(SealedSender.open(bob.identity(), envelope).sender().deviceId()).isEqualTo(7);
        assertThatThrownBy(() -> new SenderCertificate("", 1, sender.publicKey())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderCertificate("a".repeat(65), 1, sender.publicKey()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderCertificate("a", 0, sender.publicKey())).isInstanceOf(IllegalArgumentException.class);
    }

    /** A structurally valid ratchet message (its content is never decrypted by sealed sender). */
    static byte[] ratchetLikeInner() {
        byte[] inner = new byte[2 + 32 + 4 + 4 + 256 + 16];
        inner[0] = 1;
        inner[1] = 0x22;
        return inner;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
