package dev.vouch.protocol.keys;

import dev.vouch.protocol.encoding.ByteWriter;
import java.nio.charset.StandardCharsets;

/**
 * What a device signs for its prekeys. Each message starts with its own label (domain
 * separation) and includes the device's whole identity key, so a signature made for one device
 * or one kind of prekey never verifies for another.
 */
final class PreKeySignatures {
    private static final byte[] SIGNED_PREKEY_LABEL = "Vouch signed prekey v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEM_PREKEY_LABEL = "Vouch ML-KEM-768 prekey v1\0".getBytes(StandardCharsets.US_ASCII);

    private PreKeySignatures() {
    }

    static byte[] signedPreKey(DeviceIdentityKey device, int id, byte[] publicKey) {
        return new ByteWriter(128).fixed(SIGNED_PREKEY_LABEL).fixed(device.serialize())
                .u32(id).fixed(publicKey).toByteArray();
    }

    static byte[] kemPreKey(DeviceIdentityKey device, int id, boolean lastResort, byte[] publicKey) {
        return new ByteWriter(1300).fixed(KEM_PREKEY_LABEL).fixed(device.serialize())
                .u32(id).bool(lastResort).fixed(publicKey).toByteArray();
    }
}
