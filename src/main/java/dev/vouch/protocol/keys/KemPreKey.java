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
 *
 * <p>The public key is derived from the seed only when {@link #publicPart()} is asked for:
 * expanding an ML-KEM seed costs as much as a key generation, and a key read back from the store
 * to answer a prekey message (or to check its last-resort flag) is only ever decapsulated with.
 */
public final class KemPreKey {
    private final int id;
    private final boolean lastResort;
    private final byte[] seed;
    private final byte[] signature;
    private final long createdAtMillis;
    /** Null until first asked for; a racing second computation gives an equal, immutable value. */
    private volatile KemPreKeyPublic publicPart;

    private KemPreKey(int id, boolean lastResort, byte[] seed, byte[] signature, KemPreKeyPublic publicPart,
                      long createdAtMillis) {
        this.id = id;
        this.lastResort = lastResort;
        this.seed = seed;
        this.signature = signature;
        this.publicPart = publicPart;
        this.createdAtMillis = createdAtMillis;
    }

    public static KemPreKey generate(int id, boolean lastResort, DeviceIdentity device, long createdAtMillis,
                                     SecureRandom random) {
        MlKem768.KeyPair pair = MlKem768.generate(random);
        byte[] signature = device.sign(PreKeySignatures.kemPreKey(device.publicKey(), id, lastResort, pair.publicKey()));
        return new KemPreKey(id, lastResort, pair.seed(), signature,
                new KemPreKeyPublic(id, pair.publicKey(), lastResort, signature), createdAtMillis);
    }

    public int id() {
        return id;
    }

    public boolean lastResort() {
        return lastResort;
    }

    public KemPreKeyPublic publicPart() {
        KemPreKeyPublic part = publicPart;
        if (part == null) {
            MlKem768.KeyPair pair;
            try {
                pair = MlKem768.fromSeed(seed);
            } catch (InvalidKeyMaterialException e) {
                throw new IllegalStateException("ML-KEM prekey seed has a wrong length", e);
            }
            part = new KemPreKeyPublic(id, pair.publicKey(), lastResort, signature);
            publicPart = part;
        }
        return part;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public byte[] decapsulate(byte[] ciphertext) throws InvalidKeyMaterialException {
        return MlKem768.decapsulate(seed, ciphertext);
    }

    public byte[] serializePrivate() {
        return Tag.KEM_PREKEY_PRIVATE.writer(150).u32(id).bool(lastResort).fixed(seed)
                .fixed(signature).u64(createdAtMillis).toByteArray();
    }

    public static KemPreKey decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.KEM_PREKEY_PRIVATE.reader(data);
        int id = r.u32();
        boolean lastResort = r.bool();
        byte[] seed = r.fixed(MlKem768.SEED_LENGTH);
        byte[] signature = r.fixed(Ed25519.SIGNATURE_LENGTH);
        long created = r.u64();
        r.end();
        return new KemPreKey(id, lastResort, seed, signature, null, created);
    }

    @Override
    public String toString() {
        return "KemPreKey[id=" + Integer.toUnsignedString(id) + (lastResort ? ", last resort]" : "]");
    }
}
