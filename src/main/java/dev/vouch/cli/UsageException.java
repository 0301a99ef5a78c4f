package dev.vouch.cli;

/** Input the user can fix (bad hex, a missing argument); reported in one line with exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
