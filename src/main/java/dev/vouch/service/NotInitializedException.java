package dev.vouch.service;

/** The profile has no registered account yet. */
public final class NotInitializedException extends ServiceException {
    public NotInitializedException() {
        super("this profile has no account yet; create one with: vouch init --handle HANDLE --relay INVITE");
    }
}
