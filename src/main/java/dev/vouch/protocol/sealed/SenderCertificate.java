package dev.vouch.protocol.sealed;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Who sent a sealed envelope: the sender's handle, device id and device identity key. Nobody signs
 * it; it travels inside layer 2 of the envelope, whose key only the holder of {@link #identityKey()}'s
 * private agreement key (or the recipient) can compute, and {@link SealedSender#open} checks that
 * it names the same key as layer 1. Whether that key really belongs to the handle is the
 * recipient's own trust decision (its identity store and the account's signed device list).
 *
 * @param handle the sender's handle, 1 to {@value #MAX_HANDLE_BYTES} bytes of UTF-8
 * @param deviceId the sender's device, from 1
 */
public record SenderCertificate(String handle, int deviceId, DeviceIdentityKey identityKey) {
    /** The handle occupies a fixed slot of this size, so the envelope's length does not reveal it. */
    public static final int MAX_HANDLE_BYTES = 64;

    public SenderCertificate {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(identityKey, "identityKey");
        int length = handle.getBytes(StandardCharsets.UTF_8).length;
        if (length < 1 || length > MAX_HANDLE_BYTES) {
            throw new IllegalArgumentException("sender handle must be 1.." + MAX_HANDLE_BYTES + " bytes of UTF-8");
        }
        if (deviceId < 1) {
            throw new IllegalArgumentException("device ids start at 1");
        }
    }

    /** The address whose session the inner message belongs to. */
    public ProtocolAddress address() {
        return new ProtocolAddress(handle, deviceId);
    }
}
