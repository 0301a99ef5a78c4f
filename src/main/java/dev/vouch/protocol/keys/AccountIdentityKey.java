package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The public half of an account's long-term identity (Ed25519). Safety numbers are computed from
 * its serialized form, so it changes only when the account key changes.
 */
public record AccountIdentityKey(byte[] publicKey) {
    public static final int SERIALIZED_LENGTH = 2 + Ed25519.PUBLIC_KEY_LENGTH;

    public AccountIdentityKey {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("account identity key must be 32 bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    public byte[] serialize() {
        return Tag.ACCOUNT_IDENTITY_KEY.writer(32).fixed(publicKey).toByteArray();
    }

    public static AccountIdentityKey decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.ACCOUNT_IDENTITY_KEY.reader(data);
        byte[] key = r.fixed(Ed25519.PUBLIC_KEY_LENGTH);
        r.end();
        return new AccountIdentityKey(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountIdentityKey k && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "AccountIdentityKey[" + HexFormat.of().formatHex(publicKey, 0, 8) + "…]";
    }
}
