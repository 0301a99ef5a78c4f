package dev.vouch.service;

import static dev.vouch.service.Member.await;

import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Another device of a {@link Member}'s account, registered with the relay by hand (the account key
 * signs its binding) with a signed prekey and a last-resort ML-KEM prekey, so that contacts can
 * start sessions with it: a quick way for a test to give an account more devices without running
 * a whole link (LinkedDevice does that).
 */
public final class ExtraDevice {
    private static final SecureRandom RANDOM = new SecureRandom();

    final Member owner;
    final int deviceId;
    final String name;
    DeviceIdentity identity;

    private ExtraDevice(Member owner, int deviceId, String name) {
        this.owner = owner;
        this.deviceId = deviceId;
        this.name = name;
    }

    public static ExtraDevice register(Member owner, int deviceId, String name) throws Exception {
        ExtraDevice device = new ExtraDevice(owner, deviceId, name);
        device.rekey();
        return device;
    }

    /** Registers this device id again with a new key (a reinstall) and fresh prekeys. */
    void rekey() throws Exception {
        identity = DeviceIdentity.generate(RANDOM);
        try (RelayClient client = new RelayClient(owner.invite, RelayConnection.Options.defaults(), deliver -> { })) {
            await(client.connect());
            await(client.register(owner.handle, owner.account.accountIdentity(), deviceId, identity, owner.accessKey()));
            long now = System.currentTimeMillis();
            await(client.uploadPreKeys(SignedPreKey.generate(1, identity, now, RANDOM).publicPart(), List.of(),
                    List.of(), Optional.of(KemPreKey.generate(2, true, identity, now, RANDOM).publicPart())));
        }
    }

    public SignedDeviceList.Device entry() {
        return new SignedDeviceList.Device(deviceId, identity.publicKey(), name, Instant.parse("2026-11-28T01:00:00Z"));
    }

    /** The owner's own device 1 as a list entry. */
    public static SignedDeviceList.Device first(Member owner) {
        return new SignedDeviceList.Device(1, owner.account.deviceIdentity().publicKey(), "Desktop",
                Instant.parse("2026-11-27T12:00:00Z"));
    }
}
