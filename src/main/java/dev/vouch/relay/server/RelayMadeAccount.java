package dev.vouch.relay.server;

import dev.vouch.protocol.InvalidDeviceListException;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.BoundDevice;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.relay.server.RelayStorage.ClaimedDevice;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.util.Optional;

/**
 * What a misbehaving relay substitutes for someone's keys ({@link Misbehavior}): an account key of
 * its own for the handle, one device (id 1) bound to it by a valid binding signature and listed in a
 * device list that account key signed, and a signed
 * prekey and last-resort ML-KEM prekey signed by that device, so that a client that only checks
 * signatures would start a session with the relay. The private keys stay in memory.
 *
 * <p>For {@code inject-device} the device is slipped into the real account's device list instead
 * ({@link #injectedInto}), under another id.
 */
final class RelayMadeAccount {
    static final int DEVICE_ID = 1;

    private final String handle;
    private final int deviceId;
    private final AccountIdentity account;
    private final DeviceIdentityKey deviceKey;
    private final byte[] binding;
    private final byte[] signedPreKey;
    private final byte[] lastResortKemPreKey;
    private final byte[] deviceList;

    RelayMadeAccount(String handle, long nowMillis, SecureRandom random) {
        this(handle, DEVICE_ID, nowMillis, random);
    }

    /** Relay-made keys whose one device has {@code deviceId}. */
    RelayMadeAccount(String handle, int deviceId, long nowMillis, SecureRandom random) {
        this.handle = handle;
        this.deviceId = deviceId;
        this.account = AccountIdentity.generate(random);
        DeviceIdentity device = DeviceIdentity.generate(random);
        this.deviceKey = device.publicKey();
        this.binding = account.sign(AuthStrings.deviceBinding(handle, deviceId, deviceKey));
        this.signedPreKey = SignedPreKey.generate(1, device, nowMillis, random).publicPart().serialize();
        this.lastResortKemPreKey = KemPreKey.generate(1, true, device, nowMillis, random).publicPart().serialize();
        try {
            // Signed by its own account key, like an honest list: only the log can tell it apart.
            this.deviceList = SignedDeviceList.sign(account, handle, 1, List.of(device(nowMillis))).serialize();
        } catch (InvalidDeviceListException e) {
            throw new IllegalStateException("a relay-made list of one device must be valid", e);
        }
    }

    private SignedDeviceList.Device device(long addedMillis) {
        return new SignedDeviceList.Device(deviceId, deviceKey, "", Instant.ofEpochMilli(addedMillis));
    }

    /** The {@code lookup} answer: the relay's account key and its one device. */
    AccountDevices lookup() {
        return new AccountDevices(account.publicKey().serialize(),
                List.of(new BoundDevice(deviceId, deviceKey.serialize(), binding.clone())), Optional.of(deviceList));
    }

    /** The {@code fetchBundles} answer: its one device with the signed and last-resort prekeys. */
    ClaimedAccount bundles() {
        return new ClaimedAccount(account.publicKey().serialize(), List.of(new ClaimedDevice(deviceId,
                deviceKey.serialize(), binding.clone(), signedPreKey.clone(), Optional.empty(),
                lastResortKemPreKey.clone())));
    }

    /**
     * The real account's {@code lookup} answer with this device added to its device list, as the
     * next version, signed by this relay-made account key (the real one never signed it). The bound
     * devices stay as stored: a device's binding needs the real account key too, and clients check
     * every binding before they look at the list. The stored list is read with the real account key.
     */
    AccountDevices injectedInto(AccountDevices stored) {
        List<SignedDeviceList.Device> devices = new ArrayList<>();
        long version = 1;
        try {
            if (stored.deviceList().isPresent()) {
                SignedDeviceList real = SignedDeviceList.decode(stored.deviceList().get(),
                        AccountIdentityKey.decode(stored.accountKey()));
                devices.addAll(real.devices());
                version = real.version() + 1;
            } else {
                for (BoundDevice d : stored.devices()) {
                    devices.add(new SignedDeviceList.Device(d.deviceId(), DeviceIdentityKey.decode(d.deviceKey()), "",
                            Instant.EPOCH));
                }
            }
            devices.add(device(devices.stream().mapToLong(d -> d.addedAt().toEpochMilli()).max().orElse(0)));
            byte[] forged = SignedDeviceList.sign(account, handle, version, devices).serialize();
            return new AccountDevices(stored.accountKey(), stored.devices(), Optional.of(forged));
        } catch (MalformedDataException | InvalidSignatureException e) {
            // The relay's own record does not read: serve it as it is rather than make something up.
            return stored;
        }
    }

    /** The log entry that would make these keys the handle's: its account key and device list at {@code version}. */
    LogEntry entry(long version) {
        return new LogEntry(handle, account.publicKey(), DeviceListHash.ofSigned(deviceList), version);
    }
}
