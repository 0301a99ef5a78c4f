package dev.vouch.relay.client;

/** The relay answered with something the protocol does not allow (a malformed frame or body, a bad bundle). */
public final class BadResponseException extends RelayException {
    public BadResponseException(String message) {
        super(message);
    }
}
