package dev.vouch.protocol;

/**
 * Base of every checked protocol failure. Each subclass names one failure; messages never carry
 * key material or plaintext.
 */
public class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
