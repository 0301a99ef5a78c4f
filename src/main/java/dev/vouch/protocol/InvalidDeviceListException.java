package dev.vouch.protocol;

/**
 * A device list that breaks a rule of its format (docs/devices.md): every reason is a refusal of
 * the whole list, never a partial use of it. A bad signature is an {@link InvalidSignatureException}.
 */
public final class InvalidDeviceListException extends MalformedDataException {
    /** Which rule the list breaks. */
    public enum Reason {
        /** No device at all: an account always has the device that signs the list. */
        EMPTY,
        /** More devices than the format allows. */
        TOO_MANY_DEVICES,
        /** One device id twice. */
        DUPLICATE_DEVICE_ID,
        /** One device key under two ids. */
        DUPLICATE_DEVICE_KEY,
        /** Device ids not in ascending order (the encoding is canonical). */
        NOT_CANONICAL,
        /** A device id below 1. */
        BAD_DEVICE_ID,
        /** A name that is too long, not UTF-8, or holds control characters. */
        BAD_NAME,
        /** A version below 1. */
        BAD_VERSION,
        /** The list is for another handle than the one asked for. */
        WRONG_HANDLE
    }

    private final Reason reason;

    public InvalidDeviceListException(Reason reason, String message) {
        super("device list: " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
