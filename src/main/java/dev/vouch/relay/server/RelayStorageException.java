package dev.vouch.relay.server;

/** The relay's storage failed (disk, database); the client is told {@code unavailable}. */
public final class RelayStorageException extends Exception {
    public RelayStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
