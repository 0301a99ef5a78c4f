package dev.vouch.transparency;

/** A signed tree head whose signature does not verify under the log key pinned from the invite. */
public final class InvalidTreeHeadException extends TransparencyException {
    public InvalidTreeHeadException(String message) {
        super(message);
    }
}
