package dev.vouch.protocol;

/**
 * A message that cannot be accepted: it fails authentication (tampered, truncated, or not for
 * this session), would skip too many keys, or is otherwise inconsistent. The session is unchanged.
 */
public class InvalidMessageException extends ProtocolException {
    public InvalidMessageException(String message) {
        super(message);
    }
}
