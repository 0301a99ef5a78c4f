package dev.vouch.protocol;

import java.util.Objects;

/** One device of one account: sessions are per device. */
public record ProtocolAddress(String name, int deviceId) {
    public ProtocolAddress {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("address name must not be empty");
        }
        if (deviceId < 1) {
            throw new IllegalArgumentException("device ids start at 1");
        }
    }

    @Override
    public String toString() {
        return name + "." + deviceId;
    }
}
