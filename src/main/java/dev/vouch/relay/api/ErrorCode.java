package dev.vouch.relay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the relay refused a frame (docs/relay-protocol.md, "Error codes"). */
public enum ErrorCode {
    BAD_FRAME("bad-frame"),
    TOO_LARGE("too-large"),
    UNAUTHENTICATED("unauthenticated"),
    FORBIDDEN("forbidden"),
    BAD_SIGNATURE("bad-signature"),
    HANDLE_TAKEN("handle-taken"),
    HANDLE_INVALID("handle-invalid"),
    UNKNOWN_ACCOUNT("unknown-account"),
    RATE_LIMITED("rate-limited"),
    QUOTA_EXCEEDED("quota-exceeded"),
    /** The envelope was encrypted to a device key the device no longer has. */
    STALE_DEVICE("stale-device"),
    /** A device list whose version is not higher than the one the relay holds. */
    VERSION_NOT_NEWER("version-not-newer"),
    /** The device was removed from its account's signed device list: it may no longer authenticate. */
    DEVICE_REMOVED("device-removed"),
    /** A provisioning mailbox that already holds its one message. */
    MAILBOX_FULL("mailbox-full"),
    UNAVAILABLE("unavailable");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
