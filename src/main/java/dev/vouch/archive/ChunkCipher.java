package dev.vouch.archive;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;

/**
 * AES-256-GCM over one archive's chunks. The nonce is 4 zero bytes and the u64 chunk counter; the
 * associated data is the whole header, the u64 counter and the u8 last flag, so a chunk only opens
 * at its own position, in its own archive, with its own last flag. One stream key per archive (a
 * fresh salt and stream id each time), so (key, nonce) never repeats.
 */
final class ChunkCipher {
    /** Plaintext bytes in every chunk but the last, which holds 0 to this many. */
    static final int CHUNK_SIZE = 64 * 1024;
    /** The u8 last flag and the u32 plaintext length before each chunk's ciphertext. */
    static final int FRAME_LENGTH = 1 + 4;

    private final byte[] key;
    private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    private final byte[] aad;

    ChunkCipher(byte[] key, byte[] header) {
        this.key = key;
        this.aad = new byte[header.length + 8 + 1];
        System.arraycopy(header, 0, aad, 0, header.length);
    }

    byte[] seal(long counter, boolean last, byte[] plaintext) {
        position(counter, last);
        try {
            return AesGcm.encrypt(key, nonce, plaintext, aad);
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("archive stream key refused", e);
        }
    }

    byte[] open(long counter, boolean last, byte[] ciphertextAndTag) throws AuthenticationFailedException {
        position(counter, last);
        try {
            return AesGcm.decrypt(key, nonce, ciphertextAndTag, aad);
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("archive stream key refused", e);
        }
    }

    private void position(long counter, boolean last) {
        for (int i = 0; i < 8; i++) {
            byte b = (byte) (counter >>> (56 - 8 * i));
            nonce[4 + i] = b;
            aad[aad.length - 9 + i] = b;
        }
        aad[aad.length - 1] = (byte) (last ? 1 : 0);
    }
}
