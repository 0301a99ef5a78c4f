package dev.vouch.service;

/** {@code init} on a profile that already has a registered account. */
public final class AlreadyInitializedException extends ServiceException {
    public AlreadyInitializedException(String handle) {
        super("this profile already has the account " + handle + "; use another --profile for a new account");
    }
}
