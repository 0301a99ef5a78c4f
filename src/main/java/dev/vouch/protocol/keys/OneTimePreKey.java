package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/** One of our one-time X25519 prekeys with its private key; deleted once a session consumes it. */
public final class OneTimePreKey {
    private final int id;
    private final X25519.KeyPair pair;

    private OneTimePreKey(int id, X25519.KeyPair pair) {
        this.id = id;
        this.pair = pair;
    }

    public static OneTimePreKey generate(int id, SecureRandom random) {
        return new OneTimePreKey(id, X25519.generate(random));
    }

    public int id() {
        return id;
    }

    public OneTimePreKeyPublic publicPart() {
        return new OneTimePreKeyPublic(id, pair.publicKey());
    }

    public byte[] agree(byte[] theirPublicKey) throws InvalidKeyMaterialException {
        return X25519.agree(pair.privateKey(), theirPublicKey);
    }

    public byte[] serializePrivate() {
        return Tag.ONE_TIME_PREKEY_PRIVATE.writer(36).u32(id).fixed(pair.privateKey()).toByteArray();
    }

    public static OneTimePreKey decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.ONE_TIME_PREKEY_PRIVATE.reader(data);
        int id = r.u32();
        byte[] priv = r.fixed(X25519.KEY_LENGTH);
        r.end();
        return new OneTimePreKey(id, new X25519.KeyPair(priv, X25519.publicKeyOf(priv)));
    }

    @Override
    public String toString() {
        return "OneTimePreKey[id=" + Integer.toUnsignedString(id) + "]";
    }
}
