package dev.vouch.protocol.fingerprint;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One party as it enters a safety number: its public identity key, hashed exactly as given (for
 * Signal compatibility that is the 33-byte serialized key with its 0x05 type prefix), and its
 * stable identifier, hashed as UTF-8 bytes. A stable id with an unpaired surrogate has no UTF-8
 * form (Java would silently write '?', so two different ids could hash alike) and is refused.
 */
public record PartyIdentity(byte[] publicKey, String stableId) {
    public PartyIdentity {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(stableId, "stableId");
        publicKey = publicKey.clone();
        if (!isWellFormedUtf16(stableId)) {
            throw new IllegalArgumentException("stableId contains an unpaired surrogate and has no UTF-8 form");
        }
    }

    private static boolean isWellFormedUtf16(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The key without a defensive copy, for the hashing loop in this package only. */
    byte[] publicKeyUnsafe() {
        return publicKey;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PartyIdentity that
                && Arrays.equals(publicKey, that.publicKey)
                && stableId.equals(that.stableId);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(publicKey) + stableId.hashCode();
    }

    @Override
    public String toString() {
        return "PartyIdentity[publicKey=" + HexFormat.of().formatHex(publicKey) + ", stableId=" + stableId + "]";
    }
}
