package dev.vouch.protocol.sealed;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.InvalidPreKeyException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.MessageTooLargeException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.Hkdf;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.message.CiphertextMessage;
import dev.vouch.protocol.message.PreKeyMessage;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Sealed sender (docs/protocol.md, "Sealed sender"), after Signal's sealed sender v1: the relay
 * sees the recipient and a size, not the sender. Two layers:
 *
 * <ol>
 *   <li>An ephemeral X25519 key agreed with the recipient's identity agreement key encrypts the
 *       sender's device identity key, and yields a chain key.
 *   <li>The chain key and the static agreement of sender and recipient identity keys encrypt the
 *       sender certificate and the inner message. Only the holder of the sender's private key (or
 *       the recipient) can compute that key, so a successful open authenticates the sender.
 * </ol>
 *
 * Both keys are fresh per envelope (the ephemeral key is), so AES-256-GCM runs with a constant
 * zero nonce, as the ratchet does.
 */
public final class SealedSender {
    private static final byte[] LAYER1_INFO = "Vouch sealed sender v1 ephemeral".getBytes(UTF_8);
    private static final byte[] LAYER2_INFO = "Vouch sealed sender v1 static".getBytes(UTF_8);
    private static final byte[] ZERO_NONCE = new byte[AesGcm.NONCE_LENGTH];
    private static final int KEY = 32;

    private SealedSender() {
    }

    /**
     * Seals {@code inner} for {@code recipient}, naming {@code certificate} as the sender.
     *
     * @param certificate must carry {@code sender}'s own public key
     * @param inner for {@link ContentType#SESSION_MESSAGE}, a serialized {@link CiphertextMessage}
     * @throws MessageTooLargeException when {@code inner} exceeds {@link SealedContent#MAX_INNER}
     * @throws InvalidPreKeyException when X25519 refuses the recipient's identity agreement key (low order)
     * @throws IllegalArgumentException when the certificate names another key or the inner message does not fit its type
     */
    public static byte[] seal(DeviceIdentity sender, SenderCertificate certificate, DeviceIdentityKey recipient,
                              ContentType type, byte[] inner, SecureRandom random)
            throws MessageTooLargeException, InvalidPreKeyException {
        if (!certificate.identityKey().equals(sender.publicKey())) {
            throw new IllegalArgumentException("the sender certificate must name the sender's own identity key");
        }
        if (inner.length > SealedContent.MAX_INNER) {
            throw new MessageTooLargeException("inner message of " + inner.length + " bytes exceeds "
                    + SealedContent.MAX_INNER);
        }
        SealedContent content = new SealedContent(certificate, type, inner);
        try {
            checkInner(content);
        } catch (MalformedDataException | InvalidMessageException e) {
            throw new IllegalArgumentException("inner message does not fit its content type: " + e.getMessage());
        }
        return sealUnchecked(sender, content, recipient, random);
    }

    /** Seals without checking that the certificate matches the sender: for tests that forge. */
    static byte[] sealUnchecked(DeviceIdentity sender, SealedContent content, DeviceIdentityKey recipient,
                                SecureRandom random) throws InvalidPreKeyException {
        X25519.KeyPair ephemeral = X25519.generate(random);
        byte[] recipientKey = recipient.serialize();
        byte[] ephemeralKey = ephemeral.publicKey();
        try {
            byte[][] layer1 = layer1Keys(X25519.agree(ephemeral.privateKey(), recipient.agreementKey()),
                    recipientKey, ephemeralKey);
            byte[] staticCiphertext = AesGcm.encrypt(layer1[1], ZERO_NONCE, sender.publicKey().serialize(),
                    layer1Aad(recipientKey, ephemeralKey));
            byte[] layer2 = layer2Key(layer1[0], staticCiphertext, sender.agree(recipient.agreementKey()));
            byte[] messageCiphertext = AesGcm.encrypt(layer2, ZERO_NONCE, content.serialize(),
                    layer2Aad(recipientKey, ephemeralKey, staticCiphertext));
            return new SealedEnvelope(ephemeralKey, staticCiphertext, messageCiphertext).serialize();
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidPreKeyException("recipient identity key refused: " + e.getMessage());
        }
    }

    /**
     * Opens an envelope addressed to {@code recipient} and authenticates its sender.
     *
     * @throws MalformedDataException when the envelope, or the authenticated content, does not parse
     * @throws InvalidMessageException when either layer fails authentication (tampered, truncated,
     *     for another recipient), a key is refused (low order), or the certificate names another
     *     key than layer 1 (or than the inner prekey message)
     */
    public static UnsealedMessage open(DeviceIdentity recipient, byte[] envelope)
            throws MalformedDataException, InvalidMessageException {
        SealedEnvelope parsed = SealedEnvelope.decode(envelope);
        byte[] recipientKey = recipient.publicKey().serialize();
        byte[] ephemeralKey = parsed.ephemeralKey();
        byte[] staticCiphertext = parsed.staticCiphertext();
        byte[] staticKeyBytes;
        byte[][] layer1;
        try {
            layer1 = layer1Keys(recipient.agree(ephemeralKey), recipientKey, ephemeralKey);
            staticKeyBytes = AesGcm.decrypt(layer1[1], ZERO_NONCE, staticCiphertext,
                    layer1Aad(recipientKey, ephemeralKey));
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidMessageException("sealed envelope: ephemeral key refused");
        } catch (AuthenticationFailedException e) {
            throw new InvalidMessageException("sealed envelope: layer 1 does not authenticate");
        }
        DeviceIdentityKey staticKey = DeviceIdentityKey.decode(staticKeyBytes);
        byte[] contentBytes;
        try {
            byte[] layer2 = layer2Key(layer1[0], staticCiphertext, recipient.agree(staticKey.agreementKey()));
            contentBytes = AesGcm.decrypt(layer2, ZERO_NONCE, parsed.messageCiphertext(),
                    layer2Aad(recipientKey, ephemeralKey, staticCiphertext));
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidMessageException("sealed envelope: sender key refused");
        } catch (AuthenticationFailedException e) {
            throw new InvalidMessageException("sealed envelope: layer 2 does not authenticate");
        }
        SealedContent content = SealedContent.decode(contentBytes);
        if (!content.sender().identityKey().equals(staticKey)) {
            throw new InvalidMessageException("sealed envelope: the sender certificate names another key than layer 1");
        }
        checkInner(content);
        return new UnsealedMessage(content.sender(), content.type(), content.inner());
    }

    /** A session message must parse, and a prekey message must come from the certified identity. */
    private static void checkInner(SealedContent content) throws MalformedDataException, InvalidMessageException {
        if (content.type() == ContentType.SESSION_MESSAGE
                && CiphertextMessage.decode(content.inner()) instanceof PreKeyMessage preKey
                && !preKey.senderIdentity().equals(content.sender().identityKey())) {
            throw new InvalidMessageException("sealed envelope: the prekey message inside names another sender");
        }
    }

    /** Chain key and layer-1 key: HKDF(salt = recipient key || ephemeral key, ikm = DH(e, R)). */
    private static byte[][] layer1Keys(byte[] dh, byte[] recipientKey, byte[] ephemeralKey) {
        byte[] salt = new ByteWriter(recipientKey.length + ephemeralKey.length)
                .fixed(recipientKey).fixed(ephemeralKey).toByteArray();
        byte[] okm = Hkdf.derive(salt, dh, LAYER1_INFO, 2 * KEY);
        return new byte[][] {Arrays.copyOfRange(okm, 0, KEY), Arrays.copyOfRange(okm, KEY, 2 * KEY)};
    }

    /** Layer-2 key: HKDF(salt = chain key || layer-1 ciphertext, ikm = DH(S, R)). */
    private static byte[] layer2Key(byte[] chainKey, byte[] staticCiphertext, byte[] dh) {
        byte[] salt = new ByteWriter(chainKey.length + staticCiphertext.length)
                .fixed(chainKey).fixed(staticCiphertext).toByteArray();
        return Hkdf.derive(salt, dh, LAYER2_INFO, KEY);
    }

    private static byte[] layer1Aad(byte[] recipientKey, byte[] ephemeralKey) {
        return new ByteWriter(2 + recipientKey.length + ephemeralKey.length)
                .fixed(SealedEnvelope.prefix()).fixed(recipientKey).fixed(ephemeralKey).toByteArray();
    }

    private static byte[] layer2Aad(byte[] recipientKey, byte[] ephemeralKey, byte[] staticCiphertext) {
        return new ByteWriter(2 + recipientKey.length + ephemeralKey.length + staticCiphertext.length)
                .fixed(SealedEnvelope.prefix()).fixed(recipientKey).fixed(ephemeralKey).fixed(staticCiphertext)
                .toByteArray();
    }
}
