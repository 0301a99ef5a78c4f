package dev.vouch.protocol.message;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.util.OptionalInt;

/**
 * A ratchet message sent before the initiator has heard back, carrying what the responder needs
 * to run PQXDH: the initiator's identity key, its ephemeral (base) key, the ids of the prekeys
 * used and the ML-KEM ciphertext.
 */
public final class PreKeyMessage implements CiphertextMessage {
    private final DeviceIdentityKey senderIdentity;
    private final byte[] baseKey;
    private final int signedPreKeyId;
    private final OptionalInt oneTimePreKeyId;
    private final int kemPreKeyId;
    private final byte[] kemCiphertext;
    private final RatchetMessage message;

    public PreKeyMessage(DeviceIdentityKey senderIdentity, byte[] baseKey, int signedPreKeyId,
                         OptionalInt oneTimePreKeyId, int kemPreKeyId, byte[] kemCiphertext, RatchetMessage message) {
        if (baseKey.length != X25519.KEY_LENGTH || kemCiphertext.length != MlKem768.CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("base key or ML-KEM ciphertext has a wrong length");
        }
        this.senderIdentity = senderIdentity;
        this.baseKey = baseKey.clone();
        this.signedPreKeyId = signedPreKeyId;
        this.oneTimePreKeyId = oneTimePreKeyId;
        this.kemPreKeyId = kemPreKeyId;
        this.kemCiphertext = kemCiphertext.clone();
        this.message = message;
    }

    public DeviceIdentityKey senderIdentity() {
        return senderIdentity;
    }

    public byte[] baseKey() {
        return baseKey.clone();
    }

    public int signedPreKeyId() {
        return signedPreKeyId;
    }

    public OptionalInt oneTimePreKeyId() {
        return oneTimePreKeyId;
    }

    public int kemPreKeyId() {
        return kemPreKeyId;
    }

    public byte[] kemCiphertext() {
        return kemCiphertext.clone();
    }

    public RatchetMessage message() {
        return message;
    }

    /**
     * Everything before the inner message. The inner message's AEAD authenticates these bytes
     * too, so no session-setup field can be altered, and the inner message cannot be unwrapped
     * and delivered alone.
     */
    public byte[] setupBytes() {
        return setupBytes(senderIdentity, baseKey, signedPreKeyId, oneTimePreKeyId, kemPreKeyId, kemCiphertext);
    }

    public static byte[] setupBytes(DeviceIdentityKey senderIdentity, byte[] baseKey, int signedPreKeyId,
                                    OptionalInt oneTimePreKeyId, int kemPreKeyId, byte[] kemCiphertext) {
        ByteWriter w = Tag.PREKEY_MESSAGE.writer(64 + 32 + 13 + kemCiphertext.length)
                .fixed(senderIdentity.signingKey()).fixed(senderIdentity.agreementKey())
                .fixed(baseKey).u32(signedPreKeyId).bool(oneTimePreKeyId.isPresent());
        if (oneTimePreKeyId.isPresent()) {
            w.u32(oneTimePreKeyId.getAsInt());
        }
        return w.u32(kemPreKeyId).fixed(kemCiphertext).toByteArray();
    }

    @Override
    public byte[] serialize() {
        byte[] inner = message.serialize();
        return new ByteWriter(inner.length + 1300).fixed(setupBytes()).bytes(inner).toByteArray();
    }

    public static PreKeyMessage decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.PREKEY_MESSAGE.reader(data);
        DeviceIdentityKey identity = new DeviceIdentityKey(r.fixed(32), r.fixed(32));
        byte[] baseKey = r.fixed(X25519.KEY_LENGTH);
        int spkId = r.u32();
        OptionalInt opkId = r.bool() ? OptionalInt.of(r.u32()) : OptionalInt.empty();
        int kemId = r.u32();
        byte[] kemCiphertext = r.fixed(MlKem768.CIPHERTEXT_LENGTH);
        RatchetMessage inner = RatchetMessage.decode(r.bytes(RatchetMessage.MAX_LENGTH));
        r.end();
        return new PreKeyMessage(identity, baseKey, spkId, opkId, kemId, kemCiphertext, inner);
    }

    @Override
    public String toString() {
        return "PreKeyMessage[" + senderIdentity + ", " + message + "]";
    }
}
