package dev.vouch.transparency.log;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tree head with the log key's Ed25519 signature over {@link TreeHead#signedMessage()}, as the
 * relay serves it:
 *
 * <pre>
 *   01 32 | u64 size | root (32) | u64 timestamp | signature (64)
 * </pre>
 *
 * Decoding checks the structure only; {@link LogKey#verify(SignedTreeHead)} checks the signature
 * and is the only way to the {@link TreeHead} a client may trust.
 */
public record SignedTreeHead(TreeHead head, byte[] signature) {
    public static final int ENCODED_LENGTH = TreeHead.ENCODED_LENGTH + Ed25519.SIGNATURE_LENGTH;

    public SignedTreeHead {
        Objects.requireNonNull(head, "head");
        if (signature == null || signature.length != Ed25519.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be " + Ed25519.SIGNATURE_LENGTH + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] serialize() {
        return Tag.SIGNED_TREE_HEAD.exactWriter(ENCODED_LENGTH)
                .u64(head.size()).fixed(head.root()).u64(head.timestamp()).fixed(signature).toByteArray();
    }

    public static SignedTreeHead decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.SIGNED_TREE_HEAD.reader(data);
        TreeHead head = TreeHead.readBody(r, "signed tree head");
        byte[] signature = r.fixed(Ed25519.SIGNATURE_LENGTH);
        r.end();
        return new SignedTreeHead(head, signature);
    }

    /** The signature as given; for {@link LogKey}, without a copy. */
    byte[] signatureUnsafe() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead s && s.head.equals(head) && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return head.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Signed" + head;
    }
}
