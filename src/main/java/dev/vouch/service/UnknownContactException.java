package dev.vouch.service;

/** A handle that is not among the contacts, or that the relay does not know. */
public final class UnknownContactException extends ServiceException {
    public UnknownContactException(String message) {
        super(message);
    }
}
