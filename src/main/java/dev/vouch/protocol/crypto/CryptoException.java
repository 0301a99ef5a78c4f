package dev.vouch.protocol.crypto;

/** Base of every checked failure raised by the crypto wrappers. Messages never carry key material. */
public class CryptoException extends Exception {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
