package dev.vouch.protocol;

/** An encoding whose version or type code this build does not know (written by a newer Vouch, or garbage). */
public final class UnknownTypeException extends MalformedDataException {
    public UnknownTypeException(String message) {
        super(message);
    }
}
