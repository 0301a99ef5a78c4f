package dev.vouch.protocol.fingerprint;

/**
 * The scanned bytes are not a well-formed scannable fingerprint (damaged, truncated, or not a
 * fingerprint at all). Thrown by {@link ScannableFingerprint#parse(byte[])}.
 */
public final class FingerprintParsingException extends FingerprintException {
    public FingerprintParsingException(String message) {
        super(message);
    }
}
