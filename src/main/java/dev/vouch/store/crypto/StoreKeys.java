package dev.vouch.store.crypto;

import dev.vouch.protocol.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys derived from a profile's data key while it is unlocked: one for sealing values, one
 * for blind indexes, one for the search index. {@link #destroy()} overwrites them on lock.
 */
public final class StoreKeys {
    private final byte[] fieldKey;
    private final byte[] indexKey;
    private final byte[] searchKey;
    private final FieldCipher fieldCipher = new FieldCipher(this);
    private final BlindIndex blindIndex = new BlindIndex(this);
    private volatile boolean destroyed;

    private StoreKeys(byte[] fieldKey, byte[] indexKey, byte[] searchKey) {
        this.fieldKey = fieldKey;
        this.indexKey = indexKey;
        this.searchKey = searchKey;
    }

    /** Derives the working keys from the 256-bit data key (HKDF-SHA-256, one label per purpose). */
    public static StoreKeys derive(byte[] dataKey) {
        return new StoreKeys(derive(dataKey, "field sealing"), derive(dataKey, "blind index"),
                derive(dataKey, "search index"));
    }

    private static byte[] derive(byte[] dataKey, String purpose) {
        return Hkdf.derive(null, dataKey, ("Vouch store v1 " + purpose).getBytes(StandardCharsets.US_ASCII), 32);
    }

    byte[] fieldKey() {
        check();
        return fieldKey;
    }

    byte[] indexKey() {
        check();
        return indexKey;
    }

    /** The key that seals the search index snapshot. */
    public byte[] searchKey() {
        check();
        return searchKey.clone();
    }

    public FieldCipher fieldCipher() {
        return fieldCipher;
    }

    public BlindIndex blindIndex() {
        return blindIndex;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the keys; every later use fails. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(fieldKey, (byte) 0);
        Arrays.fill(indexKey, (byte) 0);
        Arrays.fill(searchKey, (byte) 0);
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("store keys were destroyed (the store is locked)");
        }
    }

    @Override
    public String toString() {
        return "StoreKeys[<redacted>]";
    }
}
