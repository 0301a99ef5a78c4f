package dev.vouch.protocol;

/** There is no session with the address: fetch a prekey bundle first, or wait for their prekey message. */
public final class NoSessionException extends ProtocolException {
    public NoSessionException(String message) {
        super(message);
    }
}
