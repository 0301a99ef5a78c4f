package dev.vouch.protocol.fingerprint;

/**
 * The scanned fingerprint is well formed but was made for another fingerprint version, so it
 * cannot be compared: the user should update the older app rather than suspect an attacker.
 * Thrown by {@link ScannableFingerprint#matches(ScannableFingerprint)} and {@link SafetyNumber#matches}.
 */
public final class FingerprintVersionMismatchException extends FingerprintException {
    private final int theirVersion;
    private final int ourVersion;

    public FingerprintVersionMismatchException(int theirVersion, int ourVersion) {
        super("scanned fingerprint has version " + theirVersion + ", ours has version " + ourVersion);
        this.theirVersion = theirVersion;
        this.ourVersion = ourVersion;
    }

    public int theirVersion() {
        return theirVersion;
    }

    public int ourVersion() {
        return ourVersion;
    }
}
