package dev.vouch.relay.api;

/** An invite that cannot be used: not an invite, another version, expired or malformed. */
public final class InvalidInviteException extends Exception {
    public InvalidInviteException(String message) {
        super(message);
    }
}
