package dev.vouch.store.model;

import dev.vouch.protocol.crypto.ConstantTime;
import java.util.Arrays;

/**
 * A contact's profile key: learned from their messages, it yields the access key that lets us
 * send to them without naming ourselves to the relay (docs/relay.md, "Sealed sender and abuse").
 */
public record ProfileKey(byte[] bytes) {
    public static final int LENGTH = 32;

    public ProfileKey {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a profile key has " + LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileKey k && ConstantTime.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ProfileKey[redacted]";
    }
}
