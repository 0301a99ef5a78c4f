package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/**
 * Our signed ML-KEM-768 prekey with its private seed. One-time keys are deleted once used; the
 * last-resort key stays until it is rotated.
 */
public final class KemPreKey {
    private final MlKem768.KeyPair pair;
    private final KemPreKeyPublic publicPart;
    private final long createdAtMillis;

    private KemPreKey(MlKem768.KeyPair pair, KemPreKeyPublic publicPart, long createdAtMillis) {
        this.pair = pair;
        this.publicPart = publicPart;
        this.createdAtMillis = createdAtMillis;
    }

    public static KemPreKey generate(int id, boolean lastResort, DeviceIdentity device, long createdAtMillis,
                                     SecureRandom random) {
        MlKem768.KeyPair pair = MlKem768.generate(random);
        byte[] signature = device.sign(PreKeySignatures.kemPreKey(device.publicKey(), id, lastResort, pair.publicKey()));
        return new KemPreKey(pair, new KemPreKeyPublic(id, pair.publicKey(), lastResort, signature), createdAtMillis);
    }

    public int id() {
        return publicPart.id();
    }

    public boolean lastResort() {
        return publicPart.lastResort();
    }

    public KemPreKeyPublic publicPart() {
        return publicPart;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public byte[] decapsulate(byte[] ciphertext) throws InvalidKeyMaterialException {
        return MlKem768.decapsulate(pair.seed(), ciphertext);
    }

    public byte[] serializePrivate() {
        return Tag.KEM_PREKEY_PRIVATE.writer(150).u32(id()).bool(lastResort()).fixed(pair.seed())
                .fixed(publicPart.signature()).u64(createdAtMillis).toByteArray();
    }

    public static KemPreKey decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.KEM_PREKEY_PRIVATE.reader(data);
        int id = r.u32();
        boolean lastResort = r.bool();
        byte[] seed = r.fixed(MlKem768.SEED_LENGTH);
        byte[] signature = r.fixed(Ed25519.SIGNATURE_LENGTH);
        long created = r.u64();
        r.end();
        MlKem768.KeyPair pair;
        try {
            pair = MlKem768.fromSeed(seed);
        } catch (InvalidKeyMaterialException e) {
            throw new MalformedDataException("ML-KEM prekey seed is invalid");
        }
        return new KemPreKey(pair, new KemPreKeyPublic(id, pair.publicKey(), lastResort, signature), created);
    }

    @Override
    public String toString() {
        return "KemPreKey[id=" + Integer.toUnsignedString(id()) + (lastResort() ? ", last resort]" : "]");
    }
}
