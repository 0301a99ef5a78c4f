package dev.vouch.service;

import dev.vouch.relay.client.RelayException;

/** The relay could not be reached, failed its pin or version check, or refused a request. */
public final class RelayFailureException extends ServiceException {
    public RelayFailureException(RelayException cause) {
        super(cause.getMessage(), cause);
    }

    public RelayFailureException(String message) {
        super(message);
    }
}
