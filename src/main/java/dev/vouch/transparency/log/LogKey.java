package dev.vouch.transparency.log;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.transparency.InvalidTreeHeadException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The log's public Ed25519 key, pinned from the invite: the only key whose tree heads a client
 * accepts.
 */
public record LogKey(byte[] publicKey) {
    public LogKey {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("log key must be " + Ed25519.PUBLIC_KEY_LENGTH + " bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The head, if this key signed it.
     *
     * @throws InvalidTreeHeadException when the signature does not verify (strict Ed25519: also for
     *     non-canonical signatures and a key the primitive refuses)
     */
    public TreeHead verify(SignedTreeHead signed) throws InvalidTreeHeadException {
        if (signed == null) {
            throw new InvalidTreeHeadException("no signed tree head");
        }
        TreeHead head = signed.head();
        if (!Ed25519.verify(publicKey, head.signedMessage(), signed.signatureUnsafe())) {
            throw new InvalidTreeHeadException("tree head of size " + head.size()
                    + " is not signed by the pinned log key");
        }
        return head;
    }

    /** Decodes a signed tree head as the relay sent it and checks its signature. */
    public TreeHead verify(byte[] signedTreeHead) throws MalformedDataException, InvalidTreeHeadException {
        return verify(SignedTreeHead.decode(signedTreeHead));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogKey k && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "LogKey[" + HexFormat.of().formatHex(publicKey, 0, 8) + "…]";
    }
}
