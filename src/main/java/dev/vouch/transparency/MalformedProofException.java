package dev.vouch.transparency;

/**
 * A proof refused before any hashing, because it cannot be a proof for what it claims: a leaf
 * index not below the tree size, a first size above the second, a consistency proof from the empty
 * tree, a size beyond 2^63 - 1, a proof for another tree size than the head it is checked against,
 * the wrong number of hashes for the sizes, or a hash (leaf, root or proof node) that is not 32
 * bytes.
 */
public final class MalformedProofException extends TransparencyException {
    public MalformedProofException(String message) {
        super(message);
    }
}
