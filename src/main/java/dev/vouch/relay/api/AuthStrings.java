package dev.vouch.relay.api;

import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.nio.charset.StandardCharsets;

/**
 * The two byte strings signed to register and authenticate (docs/relay-protocol.md, "Signed
 * strings"). Both sides build them here so their layouts cannot drift apart. The handle is always
 * the normalized one ({@link Handles}); these methods normalize it themselves.
 */
public final class AuthStrings {
    private static final byte[] BINDING_LABEL = "Vouch device binding v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUTH_LABEL = "Vouch relay auth v1\0".getBytes(StandardCharsets.US_ASCII);

    private AuthStrings() {
    }

    /**
     * What the account key signs to bind a device to the handle:
     * {@code "Vouch device binding v1\0" || u32 len || handle || u32 deviceId || DeviceIdentityKey encoding}.
     *
     * @throws IllegalArgumentException when the handle is not valid
     */
    public static byte[] deviceBinding(String handle, int deviceId, DeviceIdentityKey deviceKey) {
        byte[] normalized = Handles.require(handle).getBytes(StandardCharsets.UTF_8);
        return new ByteWriter(160).fixed(BINDING_LABEL).bytes(normalized).u32(deviceId)
                .fixed(deviceKey.serialize()).toByteArray();
    }

    /**
     * What the device signing key signs to prove it holds the device on this connection:
     * {@code "Vouch relay auth v1\0" || challenge || u32 len || handle || u32 deviceId}.
     *
     * @throws IllegalArgumentException when the handle is not valid or the challenge is not 32 bytes
     */
    public static byte[] authentication(byte[] challenge, String handle, int deviceId) {
        if (challenge == null || challenge.length != Frames.CHALLENGE_LENGTH) {
            throw new IllegalArgumentException("the challenge is 32 bytes");
        }
        byte[] normalized = Handles.require(handle).getBytes(StandardCharsets.UTF_8);
        return new ByteWriter(96).fixed(AUTH_LABEL).fixed(challenge).bytes(normalized).u32(deviceId).toByteArray();
    }
}
