package dev.vouch.protocol.sealed;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.crypto.Hkdf;
import java.security.SecureRandom;

/**
 * The 16-byte key a sender shows the relay to deliver into a mailbox without naming itself
 * (docs/relay-protocol.md, "Mailboxes and sealed sender"). It is derived from the recipient
 * account's 32-byte profile key, which the account shares with its contacts inside encrypted
 * messages; the relay stores only the access key and cannot get back to the profile key.
 */
public final class AccessKey {
    public static final int LENGTH = 16;
    public static final int PROFILE_KEY_LENGTH = 32;
    private static final byte[] INFO = "Vouch access key v1".getBytes(UTF_8);

    private AccessKey() {
    }

    public static byte[] generateProfileKey(SecureRandom random) {
        byte[] key = new byte[PROFILE_KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /** HKDF-SHA-256(salt = none, ikm = profile key, info = "Vouch access key v1"), 16 bytes. */
    public static byte[] derive(byte[] profileKey) {
        if (profileKey == null || profileKey.length != PROFILE_KEY_LENGTH) {
            throw new IllegalArgumentException("profile key must be " + PROFILE_KEY_LENGTH + " bytes");
        }
        return Hkdf.derive(null, profileKey, INFO, LENGTH);
    }

    /** Constant-time comparison; false for null or any other length than {@value #LENGTH}. */
    public static boolean matches(byte[] expected, byte[] presented) {
        return expected != null && expected.length == LENGTH && ConstantTime.equals(expected, presented);
    }
}
