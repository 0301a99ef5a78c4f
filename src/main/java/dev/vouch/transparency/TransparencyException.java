package dev.vouch.transparency;

import dev.vouch.protocol.ProtocolException;

/**
 * Base of every failed transparency check: a proof that cannot be a proof for the sizes it names
 * ({@link MalformedProofException}), a proof that does not lead to the expected root
 * ({@link InvalidProofException}), or a tree head the log's key did not sign
 * ({@link InvalidTreeHeadException}). A client that sees one keeps its last good tree head and
 * reports the failure; nothing it held has changed.
 */
public abstract class TransparencyException extends ProtocolException {
    protected TransparencyException(String message) {
        super(message);
    }
}
