package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;

/** A single-use X25519 prekey (X3DH's OPK). Unsigned, as in X3DH: it only adds forward secrecy. */
public record OneTimePreKeyPublic(int id, byte[] publicKey) {
    public OneTimePreKeyPublic {
        if (publicKey == null || publicKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("one-time prekey must be 32 bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] serialize() {
        ByteWriter w = Tag.ONE_TIME_PREKEY.writer(36);
        write(w);
        return w.toByteArray();
    }

    public static OneTimePreKeyPublic decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.ONE_TIME_PREKEY.reader(data);
        OneTimePreKeyPublic key = read(r);
        r.end();
        return key;
    }

    void write(ByteWriter w) {
        w.u32(id).fixed(publicKey);
    }

    static OneTimePreKeyPublic read(ByteReader r) throws MalformedDataException {
        return new OneTimePreKeyPublic(r.u32(), r.fixed(X25519.KEY_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OneTimePreKeyPublic k && id == k.id && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "OneTimePreKeyPublic[id=" + Integer.toUnsignedString(id) + "]";
    }
}
