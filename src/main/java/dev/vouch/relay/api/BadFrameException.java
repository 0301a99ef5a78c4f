package dev.vouch.relay.api;

/** A frame that is not valid JSON for the protocol, or whose fields are out of bounds. */
public final class BadFrameException extends Exception {
    public BadFrameException(String message) {
        super(message);
    }
}
