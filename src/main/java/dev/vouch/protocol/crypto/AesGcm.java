package dev.vouch.protocol.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM with a 128-bit tag on the JDK's provider (AES-NI and CLMUL intrinsics). Vouch itself
 * uses 256-bit keys and 96-bit nonces; other key sizes and nonce lengths are accepted only
 * because the primitive defines them. Large inputs are fed in {@value #CHUNK}-byte slices: the
 * JDK's GCM intrinsic only kicks in quickly on moderate buffer sizes.
 */
public final class AesGcm {
    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    static final int CHUNK = 16 * 1024;
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM", e);
        }
    });

    private AesGcm() {
    }

    /** Returns ciphertext followed by the 16-byte tag. The (key, nonce) pair must never repeat. */
    public static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) throws InvalidKeyMaterialException {
        Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce, aad);
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        try {
            int written = 0;
            int offset = 0;
            while (plaintext.length - offset > CHUNK) {
                written += cipher.update(plaintext, offset, CHUNK, out, written);
                offset += CHUNK;
            }
            cipher.doFinal(plaintext, offset, plaintext.length - offset, out, written);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Checks the tag and returns the plaintext; nothing is returned for a forged or damaged input. */
    public static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertextAndTag, byte[] aad)
            throws AuthenticationFailedException, InvalidKeyMaterialException {
        if (ciphertextAndTag == null || ciphertextAndTag.length < TAG_LENGTH) {
            throw new AuthenticationFailedException("ciphertext shorter than its tag");
        }
        Cipher cipher = init(Cipher.DECRYPT_MODE, key, nonce, aad);
        try {
            // The JDK buffers GCM decryption until the tag is checked, so slicing only bounds
            // the size of each intrinsic call; no plaintext is released before doFinal.
            int offset = 0;
            while (ciphertextAndTag.length - offset > CHUNK) {
                cipher.update(ciphertextAndTag, offset, CHUNK);
                offset += CHUNK;
            }
            return cipher.doFinal(ciphertextAndTag, offset, ciphertextAndTag.length - offset);
        } catch (AEADBadTagException e) {
            throw new AuthenticationFailedException("AES-GCM tag does not verify");
        } catch (GeneralSecurityException e) {
            throw new AuthenticationFailedException("AES-GCM input refused: " + e.getClass().getSimpleName());
        }
    }

    private static Cipher init(int mode, byte[] key, byte[] nonce, byte[] aad) throws InvalidKeyMaterialException {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new InvalidKeyMaterialException("AES key must be 16, 24 or 32 bytes");
        }
        if (nonce == null || nonce.length == 0) {
            throw new InvalidKeyMaterialException("AES-GCM nonce must not be empty");
        }
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        } catch (GeneralSecurityException e) {
            // The JDK refuses to re-use the last (key, nonce) for encryption on the same Cipher;
            // a fresh instance still must not be used with a repeated pair, so this is a caller bug.
            throw new IllegalStateException("AES-GCM refused its parameters: " + e.getMessage(), e);
        }
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }
}
