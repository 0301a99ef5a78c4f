package dev.vouch.protocol;

/**
 * A message whose key was already used: a duplicate delivery or a replay. It is a kind of invalid
 * message (no key exists to authenticate it), singled out so callers can drop it quietly.
 */
public final class DuplicateMessageException extends InvalidMessageException {
    public DuplicateMessageException(String message) {
        super(message);
    }
}
