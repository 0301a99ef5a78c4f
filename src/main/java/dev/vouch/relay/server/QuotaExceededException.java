package dev.vouch.relay.server;

/** A mailbox or prekey store is full; nothing was stored. */
public final class QuotaExceededException extends Exception {
    public QuotaExceededException(String message) {
        super(message);
    }
}
