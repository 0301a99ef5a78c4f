package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.crypto.HmacSha256;
import java.util.Arrays;

/**
 * A symmetric-key ratchet chain at one position (Double Ratchet KDF_CK): HMAC-SHA-256 of the
 * chain key with the constant 0x01 gives the message key, with 0x02 the next chain key.
 * Immutable: {@link #next()} returns the following position.
 *
 * <p>A final class rather than a record so that the ratchet can hand over freshly derived or
 * freshly decoded key bytes without the defensive copy the public constructor makes.
 */
public final class ChainKey {
    private static final byte[] MESSAGE_KEY_SEED = {0x01};
    private static final byte[] CHAIN_KEY_SEED = {0x02};

    private final byte[] key;
    private final int index;

    public ChainKey(byte[] key, int index) {
        this(check(key).clone(), index, true);
    }

    /** Takes ownership of {@code key}: the caller must not keep or change it. */
    ChainKey(byte[] key, int index, boolean owned) {
        check(key);
        if (index < 0) {
            throw new IllegalArgumentException("chain index must not be negative");
        }
        this.key = key;
        this.index = index;
    }

    private static byte[] check(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("chain key must be 32 bytes");
        }
        return key;
    }

    public byte[] key() {
        return key.clone();
    }

    /** The key itself, for encoding inside this package; never to be changed or handed out. */
    byte[] keyBytes() {
        return key;
    }

    public int index() {
        return index;
    }

    /** The key for the message at {@link #index()}; each message key is used exactly once. */
    public byte[] messageKey() {
        return HmacSha256.mac(key, MESSAGE_KEY_SEED);
    }

    public ChainKey next() {
        return new ChainKey(HmacSha256.mac(key, CHAIN_KEY_SEED), index + 1, true);
    }

    @Override
    public String toString() {
        return "ChainKey[index=" + index + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainKey c && index == c.index && Arrays.equals(key, c.key);
    }

    @Override
    public int hashCode() {
        return index;
    }
}
