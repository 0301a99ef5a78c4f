package dev.vouch.qr;

import java.util.Objects;

/**
 * Scanned text is not a usable Vouch QR payload. Checked, because every scan result must be
 * handled; {@link #reason()} lets the UI say the right thing ("not a Vouch code", "update Vouch",
 * "damaged code").
 */
public class QrPayloadException extends Exception {
    /** Why a payload was refused. */
    public enum Reason {
        /** The text does not start with {@code VOUCH<n>:}; someone scanned another kind of code. */
        NOT_A_VOUCH_CODE,
        /** A Vouch code of a format version this build does not know; see {@link UnsupportedQrPayloadVersionException}. */
        UNSUPPORTED_VERSION,
        /** A Vouch code of a known version whose content is damaged or breaks the format rules. */
        MALFORMED,
        /** A valid Vouch code of another kind than the one asked for (a contact's safety code given as a link code). */
        WRONG_KIND
    }

    private final Reason reason;

    public QrPayloadException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
