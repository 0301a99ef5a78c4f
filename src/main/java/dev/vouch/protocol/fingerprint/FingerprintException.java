package dev.vouch.protocol.fingerprint;

/**
 * A scanned fingerprint could not be compared with ours. Checked, because every caller that
 * handles a scanned code must decide what to tell the user; the subtypes say why.
 */
public abstract class FingerprintException extends Exception {
    FingerprintException(String message) {
        super(message);
    }
}
