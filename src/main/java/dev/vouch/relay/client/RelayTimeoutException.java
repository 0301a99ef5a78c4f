package dev.vouch.relay.client;

/** The relay did not answer a request in time; the request may or may not have taken effect. */
public final class RelayTimeoutException extends RelayException {
    public RelayTimeoutException(String message) {
        super(message);
    }
}
