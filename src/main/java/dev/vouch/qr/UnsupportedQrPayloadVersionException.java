package dev.vouch.qr;

/**
 * A Vouch QR payload from a format version this build cannot read (usually a newer app): the user
 * should update rather than suspect tampering.
 */
public final class UnsupportedQrPayloadVersionException extends QrPayloadException {
    private final int version;

    public UnsupportedQrPayloadVersionException(int version) {
        super(Reason.UNSUPPORTED_VERSION,
                "Vouch QR payload version " + version + " is not supported (this build reads version "
                        + QrPayload.VERSION + ")");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
