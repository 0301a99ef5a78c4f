package dev.vouch.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
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
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(AesGcm::newCipher);

    private AesGcm() {
    }

    /**
     * Returns ciphertext followed by the 16-byte tag. The (key, nonce) pair must never repeat with
     * a different plaintext. The wrapper cannot check that; callers guarantee it with single-use
     * keys or fresh random nonces.
     *
     * @throws InvalidKeyMaterialException for a key that is not 16, 24 or 32 bytes, an empty
     *     nonce, or any other key or nonce the JDK refuses
     */
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

    /**
     * Checks the tag and returns the plaintext; nothing is returned for a forged or damaged input.
     *
     * @throws AuthenticationFailedException when the tag does not verify or the input is shorter than a tag
     * @throws InvalidKeyMaterialException as for {@link #encrypt}
     */
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
        SecretKeySpec keySpec = new SecretKeySpec(key, "AES");
        GCMParameterSpec spec = new GCMParameterSpec(TAG_LENGTH * 8, nonce);
        Cipher cipher = CIPHER.get();
        try {
            cipher.init(mode, keySpec, spec);
        } catch (InvalidAlgorithmParameterException e) {
            if (mode != Cipher.ENCRYPT_MODE) {
                throw refused(e);
            }
            // The JDK refuses to start an encryption under the (key, nonce) that this same Cipher
            // object encrypted under last. With one cached Cipher per thread that guard depends on
            // whatever the thread happened to encrypt before, so it is no nonce-uniqueness check
            // (that is the caller's contract, see encrypt), it only made an identical repeated
            // encryption fail or pass depending on that history. A fresh Cipher has no history:
            // if it refuses as well, the parameters themselves are bad.
            cipher = newCipher();
            CIPHER.set(cipher);
            try {
                cipher.init(mode, keySpec, spec);
            } catch (GeneralSecurityException again) {
                throw refused(again);
            }
        } catch (GeneralSecurityException e) {
            throw refused(e);
        }
        if (aad != null && aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher;
    }

    private static InvalidKeyMaterialException refused(GeneralSecurityException e) {
        return new InvalidKeyMaterialException("AES-GCM refused its key or nonce (" + e.getClass().getSimpleName() + ")", e);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM", e);
        }
    }
}
