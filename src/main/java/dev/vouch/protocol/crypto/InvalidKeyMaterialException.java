package dev.vouch.protocol.crypto;

/**
 * Key material that Vouch refuses: a wrong length, a public key the primitive rejects, or an
 * agreement that would yield a degenerate (all-zero) shared secret.
 */
public final class InvalidKeyMaterialException extends CryptoException {
    public InvalidKeyMaterialException(String message) {
        super(message);
    }

    /** For a refusal reported by the underlying provider; its message must not carry key material. */
    public InvalidKeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
