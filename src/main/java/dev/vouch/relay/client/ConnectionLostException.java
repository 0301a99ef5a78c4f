package dev.vouch.relay.client;

/**
 * There is no usable connection: it dropped before the answer came, it is being re-established,
 * or it was closed. Requests are not replayed; the caller decides whether to try again.
 */
public final class ConnectionLostException extends RelayException {
    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
