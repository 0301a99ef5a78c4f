package dev.vouch.store;

/** The store is locked (by the user or the idle timeout); unlock it with the passphrase first. */
public final class StoreLockedException extends StoreException {
    public StoreLockedException() {
        super("the store is locked");
    }
}
