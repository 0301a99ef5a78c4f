package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The root of the Double Ratchet (KDF_RK): HKDF-SHA-256 with the root key as salt and a DH
 * output as input gives the next root key and a new chain key. Immutable.
 */
public record RootKey(byte[] key) {
    private static final byte[] INFO = "Vouch v1 ratchet root".getBytes(StandardCharsets.US_ASCII);

    public RootKey {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("root key must be 32 bytes");
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** One DH ratchet step of the root chain. */
    public Step step(byte[] dhOutput) {
        byte[] out = Hkdf.derive(key, dhOutput, INFO, 64);
        return new Step(new RootKey(Arrays.copyOfRange(out, 0, 32)), new ChainKey(Arrays.copyOfRange(out, 32, 64), 0));
    }

    public record Step(RootKey rootKey, ChainKey chainKey) {
    }

    @Override
    public String toString() {
        return "RootKey[<redacted>]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RootKey r && Arrays.equals(key, r.key);
    }

    @Override
    public int hashCode() {
        return 1;
    }
}
