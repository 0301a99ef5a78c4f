package dev.vouch.protocol.message;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;

/**
 * A Double Ratchet message: the header (sender's ratchet public key, previous chain length,
 * message number) in the clear, then the AEAD ciphertext of the padded plaintext. The header's
 * encoding is authenticated as associated data.
 */
public final class RatchetMessage implements CiphertextMessage {
    /** Version, type, ratchet key, previous counter, counter. */
    public static final int HEADER_LENGTH = 2 + X25519.KEY_LENGTH + 4 + 4;
    public static final int MAX_LENGTH = HEADER_LENGTH + Padding.MAX_PADDED + AesGcm.TAG_LENGTH;

    private final byte[] ratchetKey;
    private final int previousCounter;
    private final int counter;
    private final byte[] ciphertext;
    private final byte[] serialized;

    public RatchetMessage(byte[] ratchetKey, int previousCounter, int counter, byte[] ciphertext) {
        if (ratchetKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("ratchet key must be 32 bytes");
        }
        this.ratchetKey = ratchetKey.clone();
        this.previousCounter = previousCounter;
        this.counter = counter;
        this.ciphertext = ciphertext.clone();
        this.serialized = header(ratchetKey, previousCounter, counter, ciphertext.length).fixed(ciphertext).toByteArray();
    }

    private RatchetMessage(byte[] serialized, byte[] ratchetKey, int previousCounter, int counter, byte[] ciphertext) {
        this.serialized = serialized;
        this.ratchetKey = ratchetKey;
        this.previousCounter = previousCounter;
        this.counter = counter;
        this.ciphertext = ciphertext;
    }

    /** The header bytes exactly as they will be serialized: the AEAD's associated data covers them. */
    public static byte[] headerBytes(byte[] ratchetKey, int previousCounter, int counter) {
        return header(ratchetKey, previousCounter, counter, 0).toByteArray();
    }

    private static ByteWriter header(byte[] ratchetKey, int previousCounter, int counter, int extra) {
        return Tag.RATCHET_MESSAGE.writer(HEADER_LENGTH + extra).fixed(ratchetKey).u32(previousCounter).u32(counter);
    }

    public byte[] ratchetKey() {
        return ratchetKey.clone();
    }

    /** The ratchet key without a copy, for hot-path comparisons inside the protocol. */
    byte[] ratchetKeyUnsafe() {
        return ratchetKey;
    }

    public int previousCounter() {
        return previousCounter;
    }

    public int counter() {
        return counter;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] header() {
        return Arrays.copyOf(serialized, HEADER_LENGTH);
    }

    @Override
    public byte[] serialize() {
        return serialized.clone();
    }

    public static RatchetMessage decode(byte[] data) throws MalformedDataException {
        if (data != null && data.length > MAX_LENGTH) {
            throw new MalformedDataException("ratchet message of " + data.length + " bytes is too large");
        }
        ByteReader r = Tag.RATCHET_MESSAGE.reader(data);
        byte[] key = r.fixed(X25519.KEY_LENGTH);
        int previousCounter = r.u32(0, Integer.MAX_VALUE);
        int counter = r.u32(0, Integer.MAX_VALUE);
        byte[] ciphertext = r.rest();
        int padded = ciphertext.length - AesGcm.TAG_LENGTH;
        // Every honest ciphertext is a padding bucket plus the tag; anything else cannot be ours.
        if (padded < Padding.MIN_BUCKET || padded > Padding.MAX_PADDED || Integer.bitCount(padded) != 1) {
            throw new MalformedDataException("ratchet message ciphertext has an impossible length " + ciphertext.length);
        }
        return new RatchetMessage(data.clone(), key, previousCounter, counter, ciphertext);
    }

    @Override
    public String toString() {
        return "RatchetMessage[n=" + counter + ", pn=" + previousCounter + ", " + ciphertext.length + " bytes]";
    }
}
