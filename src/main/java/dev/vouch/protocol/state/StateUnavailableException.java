package dev.vouch.protocol.state;

import dev.vouch.protocol.ProtocolException;

/**
 * The store could not provide or keep protocol state: a stored record is damaged (it fails
 * authentication), the store is locked, or the storage failed. The operation changed nothing.
 */
public final class StateUnavailableException extends ProtocolException {
    public StateUnavailableException(String message) {
        super(message);
    }

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
