package dev.vouch.store.crypto;

import dev.vouch.protocol.crypto.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Blind indexes: a keyed HMAC of a lookup value, so rows can be found by handle or address
 * without the value appearing in the file. Equal values give equal indexes (that equality is
 * what the file reveals); without the key nothing else can be learnt. 16 bytes: collisions stay
 * negligible far beyond any history size.
 */
public final class BlindIndex {
    public static final int LENGTH = 16;
    private final StoreKeys keys;

    BlindIndex(StoreKeys keys) {
        this.keys = keys;
    }

    /** The index of {@code value} in {@code domain}; domains keep equal values in different columns unlinkable. */
    public byte[] of(String domain, byte[] value) {
        byte[] label = (domain + "\0").getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(HmacSha256.mac(keys.indexKey(), label, value), LENGTH);
    }

    public byte[] of(String domain, String value) {
        return of(domain, value.getBytes(StandardCharsets.UTF_8));
    }
}
