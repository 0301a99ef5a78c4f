package dev.vouch.service;

/**
 * The relay's answer failed a key transparency check: its keys are not what its own signed log
 * holds, or its log went back or forked. The keys are not used; the event is recorded.
 */
public final class TransparencyFailureException extends ServiceException {
    public TransparencyFailureException(String message) {
        super(message);
    }
}
