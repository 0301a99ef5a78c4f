package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.crypto.MlKem768;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The session-setup data an initiator repeats in every message until the responder answers, so
 * the session can start from whichever of those messages arrives first.
 */
public record PendingPreKey(int signedPreKeyId, OptionalInt oneTimePreKeyId, int kemPreKeyId, byte[] kemCiphertext) {
    public PendingPreKey {
        if (kemCiphertext == null || kemCiphertext.length != MlKem768.CIPHERTEXT_LENGTH) {
            throw new IllegalArgumentException("ML-KEM ciphertext must be 1088 bytes");
        }
        kemCiphertext = kemCiphertext.clone();
    }

    @Override
    public byte[] kemCiphertext() {
        return kemCiphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingPreKey p && signedPreKeyId == p.signedPreKeyId
                && oneTimePreKeyId.equals(p.oneTimePreKeyId) && kemPreKeyId == p.kemPreKeyId
                && Arrays.equals(kemCiphertext, p.kemCiphertext);
    }

    @Override
    public int hashCode() {
        return 31 * signedPreKeyId + kemPreKeyId;
    }
}
