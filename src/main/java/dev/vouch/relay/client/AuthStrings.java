package dev.vouch.relay.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.DeviceIdentityKey;

/**
 * The byte strings a client signs (docs/relay-protocol.md, "Signed strings").
 *
 * <p>TODO unify: the relay side adds {@code relay.api.AuthStrings} with the same layout and method
 * names; once it is merged, this class goes and both sides use that one. That one also normalizes
 * the handle ({@code relay.api.Handles}); until then callers must pass the normalized handle.
 */
final class AuthStrings {
    private static final byte[] DEVICE_BINDING = "Vouch device binding v1\0".getBytes(UTF_8);
    private static final byte[] RELAY_AUTH = "Vouch relay auth v1\0".getBytes(UTF_8);

    private AuthStrings() {
    }

    /** {@code "Vouch device binding v1\0" || u32 len || handle || u32 deviceId || DeviceIdentityKey encoding}. */
    static byte[] deviceBinding(String handle, int deviceId, DeviceIdentityKey deviceKey) {
        return new ByteWriter(128).fixed(DEVICE_BINDING).bytes(handle.getBytes(UTF_8)).u32(deviceId)
                .fixed(deviceKey.serialize()).toByteArray();
    }

    /** {@code "Vouch relay auth v1\0" || challenge || u32 len || handle || u32 deviceId}. */
    static byte[] authentication(byte[] challenge, String handle, int deviceId) {
        return new ByteWriter(128).fixed(RELAY_AUTH).fixed(challenge).bytes(handle.getBytes(UTF_8)).u32(deviceId)
                .toByteArray();
    }
}
