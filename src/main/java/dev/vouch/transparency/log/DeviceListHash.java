package dev.vouch.transparency.log;

import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The hash of an account's device list that a {@link LogEntry} commits to (docs/transparency.md,
 * "What is logged"): the hash of the account's signed device list when it has published one, else the
 * hash of its registered devices in ascending id, each its id and identity key encoding, under a label.
 */
public final class DeviceListHash {
    private static final byte[] LABEL = "Vouch device list v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNED_LABEL = "Vouch signed device list hash v1\0".getBytes(StandardCharsets.US_ASCII);

    private DeviceListHash() {
    }

    /**
     * The hash of an account's signed device list (docs/devices.md): what the log commits to once
     * the account has published one. It covers the whole encoding, signature included.
     */
    public static byte[] ofSigned(byte[] signedDeviceList) {
        return Sha.sha256(SIGNED_LABEL, signedDeviceList);
    }

    /** The hash of a device list that was never signed: accounts that have not published a signed list yet. */
    public static byte[] of(Map<Integer, DeviceIdentityKey> devices) {
        SortedMap<Integer, DeviceIdentityKey> sorted = new TreeMap<>(devices);
        ByteWriter w = new ByteWriter(8 + sorted.size() * (8 + DeviceIdentityKey.SERIALIZED_LENGTH)).u32(sorted.size());
        for (Map.Entry<Integer, DeviceIdentityKey> device : sorted.entrySet()) {
            w.u32(device.getKey()).bytes(device.getValue().serialize());
        }
        return Sha.sha256(LABEL, w.toByteArray());
    }
}
