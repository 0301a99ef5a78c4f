package dev.vouch.service;

/**
 * A device link that cannot go on (docs/devices.md, "Linking"): the code or a provisioning message
 * was refused, or the other device did not answer in time. Nothing changed on this device when this
 * is thrown: no device list was published and no account was set up.
 */
public final class LinkRefusedException extends ServiceException {
    /** Why a link was refused. */
    public enum Reason {
        /** The link code's expiry time has passed (or is implausibly far ahead). */
        EXPIRED,
        /** This device accepted the code before, or its provisioning mailbox is already used. */
        REUSED,
        /** Not a link code: a contact's safety code, another kind of code, or damaged text. */
        NOT_A_LINK_CODE,
        /** The code, or the provisioning message, belongs to another account or another relay. */
        OTHER_ACCOUNT,
        /** A sealed message that does not open or does not parse: tampered with, or not for this link. */
        TAMPERED,
        /** What the link would carry does not fit a provisioning message. */
        TOO_LARGE,
        /** The device list would break its rules (a device id or key already listed, too many devices). */
        BAD_DEVICE_LIST,
        /** The other device did not answer within the time given. */
        TIMED_OUT
    }

    private final Reason reason;

    public LinkRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
