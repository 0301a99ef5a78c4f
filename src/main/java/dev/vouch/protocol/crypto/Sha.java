package dev.vouch.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 and SHA-512 from the JDK (hardware-accelerated where the CPU allows). */
public final class Sha {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<MessageDigest> SHA512 = ThreadLocal.withInitial(() -> digest("SHA-512"));

    private Sha() {
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = SHA256.get();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    public static byte[] sha512(byte[]... parts) {
        MessageDigest md = SHA512.get();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** A fresh SHA-512 instance for callers that iterate many times (safety numbers). */
    public static MessageDigest newSha512() {
        return digest("SHA-512");
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }
}
