package dev.vouch.relay.client;

/**
 * Base of every failure a {@link RelayConnection} reports. The futures it returns complete
 * exceptionally with one of the subclasses, each naming one failure.
 */
public abstract class RelayException extends Exception {
    protected RelayException(String message) {
        super(message);
    }

    protected RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
