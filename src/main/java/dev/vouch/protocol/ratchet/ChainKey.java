package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.crypto.HmacSha256;

/**
 * A symmetric-key ratchet chain at one position (Double Ratchet KDF_CK): HMAC-SHA-256 of the
 * chain key with the constant 0x01 gives the message key, with 0x02 the next chain key.
 * Immutable: {@link #next()} returns the following position.
 */
public record ChainKey(byte[] key, int index) {
    private static final byte[] MESSAGE_KEY_SEED = {0x01};
    private static final byte[] CHAIN_KEY_SEED = {0x02};

    public ChainKey {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("chain key must be 32 bytes");
        }
        if (index < 0) {
            throw new IllegalArgumentException("chain index must not be negative");
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The key for the message at {@link #index()}; each message key is used exactly once. */
    public byte[] messageKey() {
        return HmacSha256.mac(key, MESSAGE_KEY_SEED);
    }

    public ChainKey next() {
        return new ChainKey(HmacSha256.mac(key, CHAIN_KEY_SEED), index + 1);
    }

    @Override
    public String toString() {
        return "ChainKey[index=" + index + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainKey c && index == c.index && java.util.Arrays.equals(key, c.key);
    }

    @Override
    public int hashCode() {
        return index;
    }
}
