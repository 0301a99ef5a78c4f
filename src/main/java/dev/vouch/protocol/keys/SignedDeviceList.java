package dev.vouch.protocol.keys;

import dev.vouch.protocol.InvalidDeviceListException;
import dev.vouch.protocol.InvalidDeviceListException.Reason;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An account's device list, signed by its account identity key (docs/devices.md): which devices
 * may receive the account's messages, at a version that only ever grows. A value of this type
 * exists only with a valid signature: {@link #sign} makes one, {@link #decode} checks one.
 *
 * <pre>
 *   01 27 | u8 handle length | handle (UTF-8, 1..64) | u64 version (1..2^63-1) | u8 count (1..{@value #MAX_DEVICES})
 *         | count x ( u32 device id (ascending, from 1) | device identity key encoding (66)
 *                   | u8 name length (0..{@value #MAX_NAME_BYTES}) | name (UTF-8) | u64 added at (ms) )
 *         | signature (64)
 *
 *   signature = Ed25519(account key, "Vouch signed device list v1\0" || every byte before the signature)
 * </pre>
 */
public final class SignedDeviceList {
    public static final int MAX_DEVICES = 16;
    public static final int MAX_NAME_BYTES = 64;
    public static final int MAX_HANDLE_BYTES = 64;
    public static final int SIGNATURE_LENGTH = 64;
    /** The largest encoding there can be: a bound a reader checks before it parses. */
    public static final int MAX_ENCODED_LENGTH = 2 + 1 + MAX_HANDLE_BYTES + 8 + 1
            + MAX_DEVICES * (4 + DeviceIdentityKey.SERIALIZED_LENGTH + 1 + MAX_NAME_BYTES + 8) + SIGNATURE_LENGTH;
    private static final byte[] LABEL = "Vouch signed device list v1\0".getBytes(StandardCharsets.US_ASCII);

    /** One device of the list. */
    public record Device(int deviceId, DeviceIdentityKey key, String name, Instant addedAt) {
        public Device {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(addedAt, "addedAt");
            addedAt = Instant.ofEpochMilli(addedAt.toEpochMilli());
        }
    }

    private final String handle;
    private final long version;
    private final List<Device> devices;
    private final byte[] encoded;

    private SignedDeviceList(String handle, long version, List<Device> devices, byte[] encoded) {
        this.handle = handle;
        this.version = version;
        this.devices = List.copyOf(devices);
        this.encoded = encoded;
    }

    /**
     * Signs a list; devices may come in any order and are written in ascending id.
     *
     * @throws InvalidDeviceListException when the list breaks a rule of the format
     */
    public static SignedDeviceList sign(AccountIdentity account, String handle, long version, List<Device> devices)
            throws InvalidDeviceListException {
        List<Device> sorted = new ArrayList<>(devices);
        sorted.sort((a, b) -> Integer.compare(a.deviceId(), b.deviceId()));
        byte[] body = body(handle, version, sorted);
        byte[] signature = account.sign(signedString(body));
        byte[] encoded = new ByteWriter(body.length + SIGNATURE_LENGTH).fixed(body).fixed(signature).toByteArray();
        return new SignedDeviceList(handle, version, sorted, encoded);
    }

    /**
     * Reads a list and checks it is {@code accountKey}'s: strict (canonical order, no trailing
     * bytes, every bound checked before anything is allocated), then the signature.
     *
     * @throws InvalidDeviceListException a rule of the format is broken
     * @throws MalformedDataException the bytes do not parse
     * @throws InvalidSignatureException the account key did not sign it
     */
    public static SignedDeviceList decode(byte[] data, AccountIdentityKey accountKey)
            throws MalformedDataException, InvalidSignatureException {
        Objects.requireNonNull(accountKey, "accountKey");
        if (data == null) {
            throw new MalformedDataException("device list: no bytes");
        }
        if (data.length > MAX_ENCODED_LENGTH) {
            throw new InvalidDeviceListException(Reason.TOO_MANY_DEVICES, "an encoding of " + data.length
                    + " bytes exceeds the largest possible list (" + MAX_ENCODED_LENGTH + ")");
        }
        ByteReader r = Tag.SIGNED_DEVICE_LIST.reader(data);
        int handleLength = r.u8();
        if (handleLength < 1 || handleLength > MAX_HANDLE_BYTES) {
            throw new MalformedDataException("device list: handle length " + handleLength + " out of range");
        }
        String handle = utf8(r.fixed(handleLength), Reason.WRONG_HANDLE, "handle");
        long version = r.u64();
        int count = r.u8();
        if (count > MAX_DEVICES) {
            throw new InvalidDeviceListException(Reason.TOO_MANY_DEVICES, count + " devices; at most " + MAX_DEVICES);
        }
        List<Device> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int id = r.u32();
            DeviceIdentityKey key = DeviceIdentityKey.decode(r.fixed(DeviceIdentityKey.SERIALIZED_LENGTH));
            int nameLength = r.u8();
            if (nameLength > MAX_NAME_BYTES) {
                throw new MalformedDataException("device list: a name length of " + nameLength + " bytes; at most "
                        + MAX_NAME_BYTES);
            }
            String name = utf8(r.fixed(nameLength), Reason.BAD_NAME, "a device name");
            long added = r.u64();
            if (added < 0) {
                throw new MalformedDataException("device list: a date before 1970");
            }
            devices.add(new Device(id, key, name, Instant.ofEpochMilli(added)));
        }
        int bodyLength = data.length - r.remaining();
        byte[] signature = r.fixed(SIGNATURE_LENGTH);
        r.end();
        check(handle, version, devices);
        byte[] body = Arrays.copyOf(data, bodyLength);
        if (!accountKey.verify(signedString(body), signature)) {
            throw new InvalidSignatureException("the device list of " + handle + " (version " + Long.toUnsignedString(version)
                    + ") is not signed by the account key");
        }
        return new SignedDeviceList(handle, version, devices, data.clone());
    }

    public String handle() {
        return handle;
    }

    public long version() {
        return version;
    }

    /** The devices in ascending id. */
    public List<Device> devices() {
        return devices;
    }

    public Optional<Device> device(int deviceId) {
        return devices.stream().filter(d -> d.deviceId() == deviceId).findFirst();
    }

    /** Whether {@code key} is listed under {@code deviceId}. */
    public boolean lists(int deviceId, DeviceIdentityKey key) {
        return device(deviceId).map(d -> d.key().equals(key)).orElse(false);
    }

    public byte[] serialize() {
        return encoded.clone();
    }

    private static byte[] body(String handle, long version, List<Device> sorted) throws InvalidDeviceListException {
        check(handle, version, sorted);
        byte[] handleBytes = utf8(handle, Reason.WRONG_HANDLE, "handle");
        ByteWriter w = Tag.SIGNED_DEVICE_LIST.writer(MAX_ENCODED_LENGTH).u8(handleBytes.length).fixed(handleBytes)
                .u64(version).u8(sorted.size());
        for (Device d : sorted) {
            byte[] name = utf8(d.name(), Reason.BAD_NAME, "a device name");
            w.u32(d.deviceId()).fixed(d.key().serialize()).u8(name.length).fixed(name).u64(d.addedAt().toEpochMilli());
        }
        return w.toByteArray();
    }

    /** The rules every list keeps, whether made here or read. */
    private static void check(String handle, long version, List<Device> devices) throws InvalidDeviceListException {
        int handleBytes = utf8(Objects.requireNonNull(handle, "handle"), Reason.WRONG_HANDLE, "handle").length;
        if (handleBytes < 1 || handleBytes > MAX_HANDLE_BYTES) {
            throw new InvalidDeviceListException(Reason.WRONG_HANDLE, "a handle is 1.." + MAX_HANDLE_BYTES + " bytes");
        }
        if (version < 1) {
            throw new InvalidDeviceListException(Reason.BAD_VERSION, "version " + Long.toUnsignedString(version)
                    + " is not between 1 and 2^63 - 1");
        }
        if (devices.isEmpty()) {
            throw new InvalidDeviceListException(Reason.EMPTY, "no device");
        }
        if (devices.size() > MAX_DEVICES) {
            throw new InvalidDeviceListException(Reason.TOO_MANY_DEVICES, devices.size() + " devices; at most "
                    + MAX_DEVICES);
        }
        Set<Integer> ids = new HashSet<>();
        Set<DeviceIdentityKey> keys = new HashSet<>();
        int previous = 0;
        for (Device d : devices) {
            if (d.deviceId() < 1) {
                throw new InvalidDeviceListException(Reason.BAD_DEVICE_ID, "device id " + Integer.toUnsignedString(d.deviceId())
                        + "; ids start at 1 and stay below 2^31");
            }
            if (!ids.add(d.deviceId())) {
                throw new InvalidDeviceListException(Reason.DUPLICATE_DEVICE_ID, "device " + d.deviceId()
                        + " is listed twice");
            }
            if (!keys.add(d.key())) {
                throw new InvalidDeviceListException(Reason.DUPLICATE_DEVICE_KEY, "device " + d.deviceId()
                        + " has the key of another listed device");
            }
            if (d.deviceId() < previous) {
                throw new InvalidDeviceListException(Reason.NOT_CANONICAL, "device ids must ascend");
            }
            previous = d.deviceId();
            byte[] name = utf8(d.name(), Reason.BAD_NAME, "a device name");
            if (name.length > MAX_NAME_BYTES) {
                throw new InvalidDeviceListException(Reason.BAD_NAME, "the name of device " + d.deviceId() + " is "
                        + name.length + " bytes; at most " + MAX_NAME_BYTES);
            }
            if (d.name().codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
                throw new InvalidDeviceListException(Reason.BAD_NAME, "the name of device " + d.deviceId()
                        + " holds a control or formatting character");
            }
            if (d.addedAt().toEpochMilli() < 0) {
                throw new InvalidDeviceListException(Reason.BAD_NAME, "device " + d.deviceId() + " was added before 1970");
            }
        }
    }

    private static byte[] signedString(byte[] body) {
        return new ByteWriter(LABEL.length + body.length).fixed(LABEL).fixed(body).toByteArray();
    }

    private static byte[] utf8(String text, Reason reason, String what) throws InvalidDeviceListException {
        try {
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return Arrays.copyOf(out.array(), out.limit());
        } catch (CharacterCodingException e) {
            throw new InvalidDeviceListException(reason, what + " is not valid Unicode");
        }
    }

    private static String utf8(byte[] bytes, Reason reason, String what) throws InvalidDeviceListException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDeviceListException(reason, what + " is not valid UTF-8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedDeviceList l && Arrays.equals(encoded, l.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "SignedDeviceList[" + handle + ", version " + version + ", " + devices.size() + " devices]";
    }
}
