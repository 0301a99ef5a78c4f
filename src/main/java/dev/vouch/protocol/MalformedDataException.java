package dev.vouch.protocol;

/** Bytes that do not parse: truncated, a wrong length, trailing data, or an impossible value. */
public class MalformedDataException extends ProtocolException {
    public MalformedDataException(String message) {
        super(message);
    }
}
