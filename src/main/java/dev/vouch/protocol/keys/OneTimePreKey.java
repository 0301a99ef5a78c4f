package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/**
 * One of our one-time X25519 prekeys with its private key; deleted once a session consumes it.
 * A key read back from the store derives its public key only if {@link #publicPart()} is asked
 * for: answering a prekey message needs only the private key, and the derivation is a scalar
 * multiplication.
 */
public final class OneTimePreKey {
    private final int id;
    private final byte[] privateKey;
    /** Null until first asked for; a racing second computation gives an equal, immutable value. */
    private volatile OneTimePreKeyPublic publicPart;

    private OneTimePreKey(int id, byte[] privateKey, OneTimePreKeyPublic publicPart) {
        this.id = id;
        this.privateKey = privateKey;
        this.publicPart = publicPart;
    }

    public static OneTimePreKey generate(int id, SecureRandom random) {
        X25519.KeyPair pair = X25519.generate(random);
        return new OneTimePreKey(id, pair.privateKey(), new OneTimePreKeyPublic(id, pair.publicKey()));
    }

    public int id() {
        return id;
    }

    public OneTimePreKeyPublic publicPart() {
        OneTimePreKeyPublic part = publicPart;
        if (part == null) {
            part = new OneTimePreKeyPublic(id, X25519.publicKeyOf(privateKey));
            publicPart = part;
        }
        return part;
    }

    public byte[] agree(byte[] theirPublicKey) throws InvalidKeyMaterialException {
        return X25519.agree(privateKey, theirPublicKey);
    }

    public byte[] serializePrivate() {
        return Tag.ONE_TIME_PREKEY_PRIVATE.writer(36).u32(id).fixed(privateKey).toByteArray();
    }

    public static OneTimePreKey decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.ONE_TIME_PREKEY_PRIVATE.reader(data);
        int id = r.u32();
        byte[] priv = r.fixed(X25519.KEY_LENGTH);
        r.end();
        return new OneTimePreKey(id, priv, null);
    }

    @Override
    public String toString() {
        return "OneTimePreKey[id=" + Integer.toUnsignedString(id) + "]";
    }
}
