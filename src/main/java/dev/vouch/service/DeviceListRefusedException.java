package dev.vouch.service;

/**
 * A contact's device list was refused (docs/devices.md, "What a client accepts"): missing, not
 * signed by the account key, for another handle, malformed, or older than the one we know. None
 * of the served keys is used; the refusal is recorded in the contact's key history.
 */
public final class DeviceListRefusedException extends ServiceException {
    public DeviceListRefusedException(String message) {
        super(message);
    }
}
