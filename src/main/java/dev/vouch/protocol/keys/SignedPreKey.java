package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/** Our signed prekey with its private key, as kept in the prekey store. */
public final class SignedPreKey {
    private final X25519.KeyPair pair;
    private final SignedPreKeyPublic publicPart;
    private final long createdAtMillis;

    private SignedPreKey(X25519.KeyPair pair, SignedPreKeyPublic publicPart, long createdAtMillis) {
        this.pair = pair;
        this.publicPart = publicPart;
        this.createdAtMillis = createdAtMillis;
    }

    public static SignedPreKey generate(int id, DeviceIdentity device, long createdAtMillis, SecureRandom random) {
        X25519.KeyPair pair = X25519.generate(random);
        byte[] signature = device.sign(PreKeySignatures.signedPreKey(device.publicKey(), id, pair.publicKey()));
        return new SignedPreKey(pair, new SignedPreKeyPublic(id, pair.publicKey(), signature), createdAtMillis);
    }

    public int id() {
        return publicPart.id();
    }

    public SignedPreKeyPublic publicPart() {
        return publicPart;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public byte[] agree(byte[] theirPublicKey) throws InvalidKeyMaterialException {
        return X25519.agree(pair.privateKey(), theirPublicKey);
    }

    /** The key pair, which becomes the responder's first ratchet key pair. */
    public X25519.KeyPair keyPair() {
        return pair;
    }

    public byte[] serializePrivate() {
        return Tag.SIGNED_PREKEY_PRIVATE.writer(140).u32(id()).fixed(pair.privateKey())
                .fixed(publicPart.signature()).u64(createdAtMillis).toByteArray();
    }

    public static SignedPreKey decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.SIGNED_PREKEY_PRIVATE.reader(data);
        int id = r.u32();
        byte[] priv = r.fixed(X25519.KEY_LENGTH);
        byte[] signature = r.fixed(Ed25519.SIGNATURE_LENGTH);
        long created = r.u64();
        r.end();
        X25519.KeyPair pair = new X25519.KeyPair(priv, X25519.publicKeyOf(priv));
        return new SignedPreKey(pair, new SignedPreKeyPublic(id, pair.publicKey(), signature), created);
    }

    @Override
    public String toString() {
        return "SignedPreKey[id=" + Integer.toUnsignedString(id()) + "]";
    }
}
