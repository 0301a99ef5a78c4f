package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The public identity of one device: an Ed25519 key that signs its prekeys and an X25519 key
 * that takes part in session setup (X3DH's IK). The two travel together so that neither can be
 * swapped alone; the account's signed device list binds them to the account.
 */
public record DeviceIdentityKey(byte[] signingKey, byte[] agreementKey) {
    public static final int SERIALIZED_LENGTH = 2 + 32 + 32;

    public DeviceIdentityKey {
        if (signingKey == null || signingKey.length != Ed25519.PUBLIC_KEY_LENGTH
                || agreementKey == null || agreementKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("device identity keys must be 32 bytes each");
        }
        signingKey = signingKey.clone();
        agreementKey = agreementKey.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(signingKey, message, signature);
    }

    public byte[] serialize() {
        return Tag.DEVICE_IDENTITY_KEY.writer(64).fixed(signingKey).fixed(agreementKey).toByteArray();
    }

    public static DeviceIdentityKey decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.DEVICE_IDENTITY_KEY.reader(data);
        DeviceIdentityKey key = read(r);
        r.end();
        return key;
    }

    /** Reads the key's body (without prefix) from inside a larger structure. */
    static DeviceIdentityKey read(ByteReader r) throws MalformedDataException {
        return new DeviceIdentityKey(r.fixed(32), r.fixed(32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceIdentityKey k && Arrays.equals(signingKey, k.signingKey)
                && Arrays.equals(agreementKey, k.agreementKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(signingKey) + Arrays.hashCode(agreementKey);
    }

    @Override
    public String toString() {
        return "DeviceIdentityKey[" + HexFormat.of().formatHex(signingKey, 0, 8) + "…]";
    }
}
