package dev.vouch.store;

/** The passphrase does not open the store's key. Nothing was written. */
public final class WrongPassphraseException extends StoreException {
    public WrongPassphraseException() {
        super("wrong passphrase: it does not open this profile's key");
    }
}
