package dev.vouch.transparency;

/**
 * A well-formed proof that does not lead to the expected root: the leaf is not in the tree the
 * head describes, or the two heads do not describe one append-only log (a fork, or a log that
 * rewrote its past). Either the relay misbehaves or the data was changed on the way.
 */
public final class InvalidProofException extends TransparencyException {
    public InvalidProofException(String message) {
        super(message);
    }
}
