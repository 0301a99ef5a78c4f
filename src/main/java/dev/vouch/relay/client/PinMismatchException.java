package dev.vouch.relay.client;

/**
 * The relay presented a TLS key other than the one its invite pins: someone may be impersonating
 * it. The connection is stopped and not retried.
 */
public final class PinMismatchException extends RelayException {
    private final String expected;
    private final String presented;

    public PinMismatchException(String expected, String presented) {
        super("relay key pin mismatch: the invite pins " + expected + " but the relay presented " + presented
                + "; not connecting");
        this.expected = expected;
        this.presented = presented;
    }

    /** The invite's pin, base64url. */
    public String expected() {
        return expected;
    }

    /** The SHA-256 of the key the relay presented, base64url. */
    public String presented() {
        return presented;
    }
}
