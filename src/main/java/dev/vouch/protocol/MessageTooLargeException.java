package dev.vouch.protocol;

/** A plaintext larger than the protocol carries in one message. */
public final class MessageTooLargeException extends ProtocolException {
    public MessageTooLargeException(String message) {
        super(message);
    }
}
