package dev.vouch.service;

import dev.vouch.protocol.crypto.Sha;
import java.util.HexFormat;

/** A short, readable fingerprint of a public key for key histories and device lists (not a safety number). */
public final class KeyFingerprint {
    private static final int BYTES = 10;

    private KeyFingerprint() {
    }

    /** The first 10 bytes of the key's SHA-256 in hex, in groups of four: {@code 1a2b 3c4d ...}. */
    public static String of(byte[] serializedKey) {
        String hex = HexFormat.of().formatHex(Sha.sha256(serializedKey), 0, BYTES);
        StringBuilder out = new StringBuilder(hex.length() + hex.length() / 4);
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(hex, i, i + 4);
        }
        return out.toString();
    }
}
