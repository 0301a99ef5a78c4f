package dev.vouch.relay.server;

/** One registered device: a normalized handle and its device id. */
public record DeviceAddress(String handle, int deviceId) {
    public DeviceAddress {
        if (handle == null || handle.isEmpty()) {
            throw new IllegalArgumentException("handle");
        }
        if (deviceId < 1) {
            throw new IllegalArgumentException("device ids start at 1");
        }
    }

    @Override
    public String toString() {
        return "device " + deviceId;
    }
}
