package dev.vouch.protocol.keys;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;

/**
 * A signed ML-KEM-768 prekey (PQXDH's PQPK): one-time, or the last-resort key a relay hands out
 * when the one-time ones run out. The last-resort flag is covered by the signature.
 */
public record KemPreKeyPublic(int id, byte[] publicKey, boolean lastResort, byte[] signature) {
    public KemPreKeyPublic {
        if (publicKey == null || publicKey.length != MlKem768.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("ML-KEM-768 prekey must be 1184 bytes");
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
        if (!device.verify(PreKeySignatures.kemPreKey(device, id, lastResort, publicKey), signature)) {
            throw new InvalidSignatureException("ML-KEM prekey " + Integer.toUnsignedString(id) + " has a bad signature");
        }
    }

    public byte[] serialize() {
        ByteWriter w = Tag.KEM_PREKEY.writer(1260);
        write(w);
        return w.toByteArray();
    }

    public static KemPreKeyPublic decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.KEM_PREKEY.reader(data);
        KemPreKeyPublic key = read(r);
        r.end();
        return key;
    }

    void write(ByteWriter w) {
        w.u32(id).bool(lastResort).fixed(publicKey).fixed(signature);
    }

    static KemPreKeyPublic read(ByteReader r) throws MalformedDataException {
        int id = r.u32();
        boolean lastResort = r.bool();
        return new KemPreKeyPublic(id, r.fixed(MlKem768.PUBLIC_KEY_LENGTH), lastResort, r.fixed(Ed25519.SIGNATURE_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KemPreKeyPublic k && id == k.id && lastResort == k.lastResort
                && Arrays.equals(publicKey, k.publicKey) && Arrays.equals(signature, k.signature);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "KemPreKeyPublic[id=" + Integer.toUnsignedString(id) + (lastResort ? ", last resort]" : "]");
    }
}
