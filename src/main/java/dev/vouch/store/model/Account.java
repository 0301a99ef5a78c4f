package dev.vouch.store.model;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;

/** This profile's own account and device: the handle, the device id and their private keys. */
public record Account(String handle, int deviceId, AccountIdentity accountIdentity, DeviceIdentity deviceIdentity) {
    @Override
    public String toString() {
        return "Account[" + handle + "." + deviceId + "]";
    }
}
