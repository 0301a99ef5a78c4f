package dev.vouch.protocol.message;

import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.MessageTooLargeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Pads plaintexts to a small set of sizes before encryption, so ciphertext length reveals only a
 * size class: powers of two from {@value #MIN_BUCKET} bytes to {@value #MAX_PADDED} bytes. The
 * ISO/IEC 7816-4 scheme marks the end of the content with 0x80 followed by zeros.
 */
public final class Padding {
    public static final int MIN_BUCKET = 256;
    /** The largest padded size; a plaintext must leave room for the 0x80 marker. */
    public static final int MAX_PADDED = 1 << 20;
    public static final int MAX_PLAINTEXT = MAX_PADDED - 1;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Padding() {
    }

    public static int bucketFor(int plaintextLength) {
        int needed = plaintextLength + 1;
        int bucket = MIN_BUCKET;
        while (bucket < needed) {
            bucket <<= 1;
        }
        return bucket;
    }

    public static byte[] pad(byte[] plaintext) throws MessageTooLargeException {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new MessageTooLargeException("message of " + plaintext.length + " bytes exceeds "
                    + MAX_PLAINTEXT + " bytes");
        }
        byte[] padded = new byte[bucketFor(plaintext.length)];
        System.arraycopy(plaintext, 0, padded, 0, plaintext.length);
        padded[plaintext.length] = (byte) 0x80;
        return padded;
    }

    /** Removes the padding of an authenticated plaintext; a peer that padded wrongly is refused. */
    public static byte[] unpad(byte[] padded) throws InvalidMessageException {
        // The zero tail, eight bytes at a time, then byte by byte.
        int end = padded.length;
        while (end >= Long.BYTES && (long) LONGS.get(padded, end - Long.BYTES) == 0L) {
            end -= Long.BYTES;
        }
        int i = end - 1;
        while (i >= 0 && padded[i] == 0) {
            i--;
        }
        if (i < 0 || padded[i] != (byte) 0x80 || padded.length != bucketFor(i)) {
            throw new InvalidMessageException("message padding is malformed");
        }
        return Arrays.copyOf(padded, i);
    }
}
