package dev.vouch.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 (RFC 2104) on the JDK's provider, which uses the CPU's SHA extensions. Tags are
 * always the full 32 bytes: Vouch never accepts a truncated tag.
 */
public final class HmacSha256 {
    public static final int TAG_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    // Mac.getInstance walks the provider list; one instance per thread keeps the hot path cheap.
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    });

    private HmacSha256() {
    }

    /** The tag of the concatenation of {@code parts} under {@code key}. */
    public static byte[] mac(byte[] key, byte[]... parts) {
        Mac mac = init(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** Constant-time check of a full-length tag; any other length is refused. */
    public static boolean verify(byte[] key, byte[] message, byte[] tag) {
        if (tag == null || tag.length != TAG_LENGTH) {
            return false;
        }
        return ConstantTime.equals(mac(key, message), tag);
    }

    private static Mac init(byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("HMAC key is required");
        }
        Mac mac = MAC.get();
        try {
            // An empty key is legal for HMAC but SecretKeySpec refuses it; RFC 2104 pads keys with
            // zeros to the block size, so a single zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, ALGORITHM));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC refused its key", e);
        }
        return mac;
    }
}
