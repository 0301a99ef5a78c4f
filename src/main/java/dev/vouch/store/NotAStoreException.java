package dev.vouch.store;

/** The file is not a readable Vouch store: not SQLite, truncated, or corrupt. It is left untouched. */
public final class NotAStoreException extends StoreException {
    public NotAStoreException(String message) {
        super(message);
    }

    public NotAStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
