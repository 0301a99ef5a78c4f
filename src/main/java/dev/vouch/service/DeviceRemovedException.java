package dev.vouch.service;

/**
 * This device was removed from its account's signed device list (unlinked from another device): the
 * relay no longer lets it authenticate, and it no longer receives or decrypts anything.
 */
public final class DeviceRemovedException extends ServiceException {
    public DeviceRemovedException(String handle, int deviceId) {
        super("this device (" + handle + ", device " + deviceId + ") was removed from its account's device list;"
                + " it no longer sends or receives. Link it again from a device of the account to use it");
    }
}
