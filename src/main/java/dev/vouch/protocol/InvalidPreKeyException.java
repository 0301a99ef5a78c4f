package dev.vouch.protocol;

/**
 * A prekey that cannot be used: a prekey message names one we do not hold (never issued, already
 * consumed, or removed), or a bundle's key is refused by the primitive or belongs to another device.
 */
public final class InvalidPreKeyException extends ProtocolException {
    public InvalidPreKeyException(String message) {
        super(message);
    }
}
