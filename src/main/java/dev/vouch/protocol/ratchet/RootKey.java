package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The root of the Double Ratchet (KDF_RK): HKDF-SHA-256 with the root key as salt and a DH
 * output as input gives the next root key and a new chain key. Immutable.
 *
 * <p>A final class rather than a record so that the ratchet can hand over freshly derived or
 * freshly decoded key bytes without the defensive copy the public constructor makes.
 */
public final class RootKey {
    private static final byte[] INFO = "Vouch v1 ratchet root".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    public RootKey(byte[] key) {
        this(check(key).clone(), true);
    }

    /** Takes ownership of {@code key}: the caller must not keep or change it. */
    RootKey(byte[] key, boolean owned) {
        this.key = check(key);
    }

    private static byte[] check(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("root key must be 32 bytes");
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

    /** One DH ratchet step of the root chain. */
    public Step step(byte[] dhOutput) {
        byte[] out = Hkdf.derive(key, dhOutput, INFO, 64);
        return new Step(new RootKey(Arrays.copyOfRange(out, 0, 32), true),
                new ChainKey(Arrays.copyOfRange(out, 32, 64), 0, true));
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
