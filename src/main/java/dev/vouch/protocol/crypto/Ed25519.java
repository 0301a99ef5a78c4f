package dev.vouch.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Ed25519 signatures (RFC 8032, pure variant) on BouncyCastle's implementation, which is far
 * faster than the JDK's. Verification is strict: non-canonical S and non-canonical or small-order
 * encodings are rejected by the primitive, as Wycheproof expects.
 */
public final class Ed25519 {
    public static final int PRIVATE_KEY_LENGTH = 32;
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private Ed25519() {
    }

    /** A 32-byte private seed and its public key. */
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

        /** Signs without copying the key (hot path for prekey and device-list signing). */
        public byte[] sign(byte[] message) {
            return Ed25519.sign(privateKey, publicKey, message);
        }

        @Override
        public String toString() {
            return "Ed25519.KeyPair[private=<redacted>]";
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
        byte[] priv = new byte[PRIVATE_KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(random, priv);
        return new KeyPair(priv, publicKeyOf(priv));
    }

    public static KeyPair fromPrivateKey(byte[] privateKey) {
        return new KeyPair(privateKey, publicKeyOf(privateKey));
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        if (privateKey == null || privateKey.length != PRIVATE_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 private key must be 32 bytes");
        }
        byte[] pub = new byte[PUBLIC_KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    public static byte[] sign(byte[] privateKey, byte[] publicKey, byte[] message) {
        if (privateKey == null || privateKey.length != PRIVATE_KEY_LENGTH
                || publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 keys must be 32 bytes");
        }
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** True only for a valid signature; wrong lengths and malformed keys are simply invalid. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH
                || signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
            return false;
        }
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }
}
