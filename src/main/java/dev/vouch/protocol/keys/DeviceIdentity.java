package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/** A device's own identity key pairs (see {@link DeviceIdentityKey}). */
public final class DeviceIdentity {
    private final Ed25519.KeyPair signing;
    private final X25519.KeyPair agreement;
    private final DeviceIdentityKey publicKey;

    private DeviceIdentity(Ed25519.KeyPair signing, X25519.KeyPair agreement) {
        this.signing = signing;
        this.agreement = agreement;
        this.publicKey = new DeviceIdentityKey(signing.publicKey(), agreement.publicKey());
    }

    public static DeviceIdentity generate(SecureRandom random) {
        return new DeviceIdentity(Ed25519.generate(random), X25519.generate(random));
    }

    public DeviceIdentityKey publicKey() {
        return publicKey;
    }

    public byte[] sign(byte[] message) {
        return signing.sign(message);
    }

    /** X25519 with this device's identity agreement key (X3DH's DH with IK). */
    public byte[] agree(byte[] theirPublicKey) throws InvalidKeyMaterialException {
        return X25519.agree(agreement.privateKey(), theirPublicKey);
    }

    public byte[] serializePrivate() {
        return Tag.DEVICE_IDENTITY_PRIVATE.writer(64)
                .fixed(signing.privateKey()).fixed(agreement.privateKey()).toByteArray();
    }

    public static DeviceIdentity decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.DEVICE_IDENTITY_PRIVATE.reader(data);
        byte[] signingSeed = r.fixed(32);
        byte[] agreementKey = r.fixed(32);
        r.end();
        return new DeviceIdentity(Ed25519.fromPrivateKey(signingSeed),
                new X25519.KeyPair(agreementKey, X25519.publicKeyOf(agreementKey)));
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + publicKey + "]";
    }
}
