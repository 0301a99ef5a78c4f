package dev.vouch.protocol.encoding;

import dev.vouch.protocol.MalformedDataException;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against what is left, so hostile
 * input ends in a {@link MalformedDataException} and never in an unchecked exception or a huge
 * allocation.
 */
public final class ByteReader {
    private final byte[] data;
    private final String what;
    private int pos;

    /** @param what names the structure being read, for error messages */
    public ByteReader(byte[] data, String what) {
        this.data = data == null ? new byte[0] : data;
        this.what = what;
    }

    public int u8() throws MalformedDataException {
        need(1);
        return data[pos++] & 0xFF;
    }

    public int u16() throws MalformedDataException {
        need(2);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int u32() throws MalformedDataException {
        need(4);
        int v = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16)
                | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** A u32 that must lie in {@code [min, max]}. */
    public int u32(int min, int max) throws MalformedDataException {
        int v = u32();
        if (v < min || v > max) {
            throw new MalformedDataException(what + ": value " + Integer.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    public long u64() throws MalformedDataException {
        long hi = u32() & 0xFFFFFFFFL;
        return (hi << 32) | (u32() & 0xFFFFFFFFL);
    }

    public boolean bool() throws MalformedDataException {
        int v = u8();
        if (v > 1) {
            throw new MalformedDataException(what + ": boolean must be 0 or 1");
        }
        return v == 1;
    }

    public byte[] fixed(int length) throws MalformedDataException {
        need(length);
        byte[] out = Arrays.copyOfRange(data, pos, pos + length);
        pos += length;
        return out;
    }

    /** Copies the next {@code length} bytes into {@code dest} at {@code offset}, without an intermediate array. */
    public void fixedInto(byte[] dest, int offset, int length) throws MalformedDataException {
        need(length);
        System.arraycopy(data, pos, dest, offset, length);
        pos += length;
    }

    /** Passes over {@code length} bytes. */
    public void skip(int length) throws MalformedDataException {
        need(length);
        pos += length;
    }

    /** Length-prefixed bytes of at most {@code maxLength}. */
    public byte[] bytes(int maxLength) throws MalformedDataException {
        int length = u32();
        if (length < 0 || length > maxLength) {
            throw new MalformedDataException(what + ": field of " + Integer.toUnsignedString(length)
                    + " bytes exceeds " + maxLength);
        }
        return fixed(length);
    }

    /** Everything not yet read. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, pos, data.length);
        pos = data.length;
        return out;
    }

    public int remaining() {
        return data.length - pos;
    }

    /** Refuses trailing bytes: every structure is read exactly to its end. */
    public void end() throws MalformedDataException {
        if (pos != data.length) {
            throw new MalformedDataException(what + ": " + (data.length - pos) + " unexpected trailing bytes");
        }
    }

    private void need(int n) throws MalformedDataException {
        if (n < 0 || data.length - pos < n) {
            throw new MalformedDataException(what + ": truncated");
        }
    }
}
