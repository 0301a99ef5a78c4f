package dev.vouch.protocol.state;

import dev.vouch.protocol.ProtocolException;

/**
 * Everything the protocol keeps, with one transaction boundary: the work given to
 * {@link #transaction} either commits all its writes or none. Receiving a message stores it and
 * advances the ratchet inside one such transaction.
 */
public interface ProtocolStore extends SessionStore, PreKeyStore, IdentityStore {
    <T> T transaction(Work<T> work) throws ProtocolException;

    @FunctionalInterface
    interface Work<T> {
        T run() throws ProtocolException;
    }
}
