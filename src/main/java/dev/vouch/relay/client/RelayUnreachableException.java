package dev.vouch.relay.client;

/**
 * No WebSocket could be opened: the address does not answer, TLS failed (for example a relay that
 * does not speak TLS 1.3), or the upgrade was refused.
 */
public final class RelayUnreachableException extends RelayException {
    public RelayUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
