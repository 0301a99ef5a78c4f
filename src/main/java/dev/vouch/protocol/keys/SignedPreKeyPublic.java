package dev.vouch.protocol.keys;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;

/** A device's medium-term X25519 prekey (X3DH's SPK) with the device's signature over it. */
public record SignedPreKeyPublic(int id, byte[] publicKey, byte[] signature) {
    public SignedPreKeyPublic {
        if (publicKey == null || publicKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("signed prekey must be 32 bytes");
        }
        if (signature == null || signature.length != Ed25519.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** @throws InvalidSignatureException unless {@code device} signed this prekey */
    public void verify(DeviceIdentityKey device) throws InvalidSignatureException {
        if (!device.verify(PreKeySignatures.signedPreKey(device, id, publicKey), signature)) {
            throw new InvalidSignatureException("signed prekey " + Integer.toUnsignedString(id) + " has a bad signature");
        }
    }

    public byte[] serialize() {
        ByteWriter w = Tag.SIGNED_PREKEY.writer(100);
        write(w);
        return w.toByteArray();
    }

    public static SignedPreKeyPublic decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.SIGNED_PREKEY.reader(data);
        SignedPreKeyPublic key = read(r);
        r.end();
        return key;
    }

    void write(ByteWriter w) {
        w.u32(id).fixed(publicKey).fixed(signature);
    }

    static SignedPreKeyPublic read(ByteReader r) throws MalformedDataException {
        return new SignedPreKeyPublic(r.u32(), r.fixed(X25519.KEY_LENGTH), r.fixed(Ed25519.SIGNATURE_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPreKeyPublic k && id == k.id && Arrays.equals(publicKey, k.publicKey)
                && Arrays.equals(signature, k.signature);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "SignedPreKeyPublic[id=" + Integer.toUnsignedString(id) + "]";
    }
}
