package dev.vouch.store;

/** The store was written by a newer Vouch (a schema this build does not know). It is left untouched. */
public final class IncompatibleStoreException extends StoreException {
    public IncompatibleStoreException(int found, int supported) {
        super("this profile was written by a newer Vouch (schema version " + found
                + ", this build knows up to " + supported + "); it was left untouched");
    }
}
