package dev.vouch.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * X25519 key agreement (RFC 7748) on BouncyCastle's constant-time implementation.
 *
 * <p>Policy for inputs that RFC 7748 leaves to the caller: any 32-byte public value is accepted
 * as the RFC says (non-canonical encodings and points on the twist included), but an agreement
 * whose result is all zeros, which happens exactly for low-order points, is refused. Such a peer
 * would otherwise force a known shared secret.
 */
public final class X25519 {
    public static final int KEY_LENGTH = 32;

    private X25519() {
    }

    /** A private scalar (as generated, unclamped bytes are clamped by the primitive) and its public key. */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {
        public KeyPair {
            privateKey = privateKey.clone();
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] privateKey() {
            return privateKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public String toString() {
            return "X25519.KeyPair[private=<redacted>]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyPair k && Arrays.equals(publicKey, k.publicKey)
                    && ConstantTime.equals(privateKey, k.privateKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKey);
        }
    }

    public static KeyPair generate(SecureRandom random) {
        byte[] priv = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, priv);
        return new KeyPair(priv, publicKeyOf(priv));
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        requireLength(privateKey, "private key");
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    /** The shared secret of our private key and their public key; refuses low-order public keys. */
    public static byte[] agree(byte[] privateKey, byte[] publicKey) throws InvalidKeyMaterialException {
        if (privateKey == null || privateKey.length != KEY_LENGTH) {
            throw new InvalidKeyMaterialException("X25519 private key must be 32 bytes");
        }
        if (publicKey == null || publicKey.length != KEY_LENGTH) {
            throw new InvalidKeyMaterialException("X25519 public key must be 32 bytes");
        }
        byte[] shared = new byte[KEY_LENGTH];
        boolean contributory = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
                privateKey, 0, publicKey, 0, shared, 0);
        if (!contributory) {
            throw new InvalidKeyMaterialException("X25519 public key has low order (all-zero shared secret)");
        }
        return shared;
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 " + what + " must be 32 bytes");
        }
    }
}
