package dev.vouch.protocol.crypto;

/** An AEAD tag or a MAC did not verify: the input was truncated, tampered with, or made under another key. */
public final class AuthenticationFailedException extends CryptoException {
    public AuthenticationFailedException(String message) {
        super(message);
    }
}
