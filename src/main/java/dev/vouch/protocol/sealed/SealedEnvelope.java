package dev.vouch.protocol.sealed;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.util.Arrays;

/**
 * The outer structure of a sealed envelope, what the relay stores: the ephemeral public key, the
 * layer-1 ciphertext (the sender's device identity key) and the layer-2 ciphertext (the
 * {@link SealedContent}). Parsing it checks only the structure; {@link SealedSender#open}
 * authenticates it.
 */
public final class SealedEnvelope {
    /** AES-GCM of a serialized device identity key. */
    public static final int STATIC_CIPHERTEXT_LENGTH = DeviceIdentityKey.SERIALIZED_LENGTH + AesGcm.TAG_LENGTH;
    static final int MIN_MESSAGE_CIPHERTEXT = SealedContent.FIXED_LENGTH + 1 + AesGcm.TAG_LENGTH;
    static final int MAX_MESSAGE_CIPHERTEXT = SealedContent.MAX_LENGTH + AesGcm.TAG_LENGTH;
    /** Bytes an envelope adds to its inner message. */
    public static final int OVERHEAD = 2 + X25519.KEY_LENGTH + STATIC_CIPHERTEXT_LENGTH + 4
            + SealedContent.FIXED_LENGTH + AesGcm.TAG_LENGTH;
    public static final int MAX_LENGTH = OVERHEAD + SealedContent.MAX_INNER;
    /** Offset of the layer-2 length field: prefix, ephemeral key, layer-1 ciphertext. */
    static final int LENGTH_OFFSET = 2 + X25519.KEY_LENGTH + STATIC_CIPHERTEXT_LENGTH;

    private final byte[] ephemeralKey;
    private final byte[] staticCiphertext;
    private final byte[] messageCiphertext;

    SealedEnvelope(byte[] ephemeralKey, byte[] staticCiphertext, byte[] messageCiphertext) {
        if (ephemeralKey.length != X25519.KEY_LENGTH || staticCiphertext.length != STATIC_CIPHERTEXT_LENGTH
                || messageCiphertext.length < MIN_MESSAGE_CIPHERTEXT || messageCiphertext.length > MAX_MESSAGE_CIPHERTEXT) {
            throw new IllegalArgumentException("sealed envelope field of a wrong length");
        }
        this.ephemeralKey = ephemeralKey.clone();
        this.staticCiphertext = staticCiphertext.clone();
        this.messageCiphertext = messageCiphertext.clone();
    }

    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    byte[] staticCiphertext() {
        return staticCiphertext.clone();
    }

    byte[] messageCiphertext() {
        return messageCiphertext.clone();
    }

    public byte[] serialize() {
        return Tag.SEALED_ENVELOPE.writer(X25519.KEY_LENGTH + STATIC_CIPHERTEXT_LENGTH + 4 + messageCiphertext.length)
                .fixed(ephemeralKey).fixed(staticCiphertext).bytes(messageCiphertext).toByteArray();
    }

    public static SealedEnvelope decode(byte[] data) throws MalformedDataException {
        if (data != null && data.length > MAX_LENGTH) {
            throw new MalformedDataException("sealed envelope of " + data.length + " bytes is too large");
        }
        ByteReader r = Tag.SEALED_ENVELOPE.reader(data);
        byte[] ephemeral = r.fixed(X25519.KEY_LENGTH);
        byte[] staticCiphertext = r.fixed(STATIC_CIPHERTEXT_LENGTH);
        byte[] messageCiphertext = r.bytes(MAX_MESSAGE_CIPHERTEXT);
        r.end();
        if (messageCiphertext.length < MIN_MESSAGE_CIPHERTEXT) {
            throw new MalformedDataException("sealed envelope: layer-2 ciphertext of " + messageCiphertext.length
                    + " bytes is too short");
        }
        return new SealedEnvelope(ephemeral, staticCiphertext, messageCiphertext);
    }

    /** The prefix, as written, for the associated data. */
    static byte[] prefix() {
        return Arrays.copyOf(Tag.SEALED_ENVELOPE.writer(0).toByteArray(), 2);
    }
}
