package dev.vouch.store;

/** Base of every checked failure of the local store; messages name what failed, never its contents. */
public class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
