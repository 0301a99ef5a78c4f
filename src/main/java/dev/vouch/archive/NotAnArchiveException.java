package dev.vouch.archive;

/** The input does not start with Vouch's archive magic: it is some other file, or empty. */
public final class NotAnArchiveException extends ArchiveException {
    public NotAnArchiveException(String message) {
        super(message);
    }
}
