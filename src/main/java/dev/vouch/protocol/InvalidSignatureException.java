package dev.vouch.protocol;

/** A signature over a prekey, bundle or device list does not verify under the key that should have made it. */
public final class InvalidSignatureException extends ProtocolException {
    public InvalidSignatureException(String message) {
        super(message);
    }
}
