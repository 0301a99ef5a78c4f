package dev.vouch.protocol.message;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;

/**
 * A Double Ratchet message: the header (sender's ratchet public key, previous chain length,
 * message number) in the clear, then the AEAD ciphertext of the padded plaintext. The header's
 * encoding is authenticated as associated data.
 *
 * <p>Immutable: it keeps its header and ciphertext in arrays of its own, which it never hands
 * out ({@link #seal} and {@link #open} run the AEAD on them in place of copies).
 */
public final class RatchetMessage implements CiphertextMessage {
    /** Version, type, ratchet key, previous counter, counter. */
    public static final int HEADER_LENGTH = 2 + X25519.KEY_LENGTH + 4 + 4;
    public static final int MAX_LENGTH = HEADER_LENGTH + Padding.MAX_PADDED + AesGcm.TAG_LENGTH;
    private static final int RATCHET_KEY_OFFSET = 2;

    /** The header's encoding, exactly as serialized. */
    private final byte[] header;
    private final int previousCounter;
    private final int counter;
    private final byte[] ciphertext;

    public RatchetMessage(byte[] ratchetKey, int previousCounter, int counter, byte[] ciphertext) {
        this(previousCounter, counter, header(ratchetKey, previousCounter, counter), ciphertext.clone());
    }

    /** Takes ownership of both arrays. */
    private RatchetMessage(int previousCounter, int counter, byte[] header, byte[] ciphertext) {
        this.header = header;
        this.previousCounter = previousCounter;
        this.counter = counter;
        this.ciphertext = ciphertext;
    }

    /** The header bytes exactly as they will be serialized: the AEAD's associated data covers them. */
    public static byte[] headerBytes(byte[] ratchetKey, int previousCounter, int counter) {
        return header(ratchetKey, previousCounter, counter);
    }

    private static byte[] header(byte[] ratchetKey, int previousCounter, int counter) {
        if (ratchetKey.length != X25519.KEY_LENGTH) {
            throw new IllegalArgumentException("ratchet key must be 32 bytes");
        }
        byte[] out = new byte[HEADER_LENGTH];
        out[0] = (byte) Tag.VERSION;
        out[1] = (byte) Tag.RATCHET_MESSAGE.code();
        System.arraycopy(ratchetKey, 0, out, RATCHET_KEY_OFFSET, X25519.KEY_LENGTH);
        putInt(out, RATCHET_KEY_OFFSET + X25519.KEY_LENGTH, previousCounter);
        putInt(out, RATCHET_KEY_OFFSET + X25519.KEY_LENGTH + 4, counter);
        return out;
    }

    private static void putInt(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >>> 24);
        out[offset + 1] = (byte) (value >>> 16);
        out[offset + 2] = (byte) (value >>> 8);
        out[offset + 3] = (byte) value;
    }

    /**
     * Encrypts {@code paddedPlaintext} into a new message under {@code key} and {@code nonce}. The
     * associated data is {@code adPrefix}, then {@code adSetup}, then this message's header.
     *
     * @throws InvalidKeyMaterialException as {@link AesGcm#encrypt} does
     */
    public static RatchetMessage seal(byte[] key, byte[] nonce, byte[] ratchetKey, int previousCounter, int counter,
                                      byte[] paddedPlaintext, byte[] adPrefix, byte[] adSetup)
            throws InvalidKeyMaterialException {
        byte[] header = header(ratchetKey, previousCounter, counter);
        byte[] ciphertext = AesGcm.encrypt(key, nonce, paddedPlaintext, associatedData(adPrefix, adSetup, header));
        return new RatchetMessage(previousCounter, counter, header, ciphertext);
    }

    /**
     * Checks and decrypts this message's ciphertext; the associated data is built as in
     * {@link #seal}. Returns the padded plaintext.
     *
     * @throws AuthenticationFailedException as {@link AesGcm#decrypt} does
     * @throws InvalidKeyMaterialException as {@link AesGcm#decrypt} does
     */
    public byte[] open(byte[] key, byte[] nonce, byte[] adPrefix, byte[] adSetup)
            throws AuthenticationFailedException, InvalidKeyMaterialException {
        return AesGcm.decrypt(key, nonce, ciphertext, associatedData(adPrefix, adSetup, header));
    }

    /** {@code prefix}, {@code setup} and {@code header}, in one array made once. */
    private static byte[] associatedData(byte[] prefix, byte[] setup, byte[] header) {
        byte[] out = new byte[prefix.length + setup.length + header.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(setup, 0, out, prefix.length, setup.length);
        System.arraycopy(header, 0, out, prefix.length + setup.length, header.length);
        return out;
    }

    public byte[] ratchetKey() {
        return Arrays.copyOfRange(header, RATCHET_KEY_OFFSET, RATCHET_KEY_OFFSET + X25519.KEY_LENGTH);
    }

    /** Whether this message's ratchet key is {@code key}, compared without a copy. */
    public boolean hasRatchetKey(byte[] key) {
        return Arrays.equals(header, RATCHET_KEY_OFFSET, RATCHET_KEY_OFFSET + X25519.KEY_LENGTH, key, 0, key.length);
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
        return header.clone();
    }

    @Override
    public byte[] serialize() {
        byte[] out = Arrays.copyOf(header, HEADER_LENGTH + ciphertext.length);
        System.arraycopy(ciphertext, 0, out, HEADER_LENGTH, ciphertext.length);
        return out;
    }

    public static RatchetMessage decode(byte[] data) throws MalformedDataException {
        if (data != null && data.length > MAX_LENGTH) {
            throw new MalformedDataException("ratchet message of " + data.length + " bytes is too large");
        }
        ByteReader r = Tag.RATCHET_MESSAGE.reader(data);
        r.skip(X25519.KEY_LENGTH);
        int previousCounter = r.u32(0, Integer.MAX_VALUE);
        int counter = r.u32(0, Integer.MAX_VALUE);
        int padded = r.remaining() - AesGcm.TAG_LENGTH;
        // Every honest ciphertext is a padding bucket plus the tag; anything else cannot be ours.
        if (padded < Padding.MIN_BUCKET || padded > Padding.MAX_PADDED || Integer.bitCount(padded) != 1) {
            throw new MalformedDataException("ratchet message ciphertext has an impossible length " + r.remaining());
        }
        return new RatchetMessage(previousCounter, counter, Arrays.copyOf(data, HEADER_LENGTH), r.rest());
    }

    @Override
    public String toString() {
        return "RatchetMessage[n=" + counter + ", pn=" + previousCounter + ", " + ciphertext.length + " bytes]";
    }
}
