package dev.vouch.protocol.encoding;

import java.util.Arrays;

/** Appends big-endian fixed-width integers and byte strings; the counterpart of {@link ByteReader}. */
public final class ByteWriter {
    private byte[] buf;
    private int size;
    /** {@link #toByteArray()} handed {@link #buf} itself out: it must never be written or handed out again. */
    private boolean handedOut;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** A writer whose buffer is exactly {@code size} bytes, for encodings whose length is known in advance. */
    public static ByteWriter exact(int size) {
        ByteWriter w = new ByteWriter(0);
        w.buf = new byte[size];
        return w;
    }

    public ByteWriter u8(int value) {
        ensure(1);
        buf[size++] = (byte) value;
        return this;
    }

    public ByteWriter u16(int value) {
        ensure(2);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
        return this;
    }

    public ByteWriter u32(int value) {
        ensure(4);
        buf[size++] = (byte) (value >>> 24);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
        return this;
    }

    public ByteWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    public ByteWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    /** Raw bytes whose length the reader knows from the format. */
    public ByteWriter fixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** {@code length} raw bytes of {@code bytes} from {@code offset}. */
    public ByteWriter fixed(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Bytes preceded by their length as u32. */
    public ByteWriter bytes(byte[] bytes) {
        u32(bytes.length);
        return fixed(bytes);
    }

    public int size() {
        return size;
    }

    /**
     * The bytes written so far. When the writer was sized exactly (its initial capacity is the
     * final size), this is the buffer itself and no copy is made: a full buffer is never written
     * again, since any further append moves to a new one, and it is handed out only once.
     */
    public byte[] toByteArray() {
        if (size == buf.length && !handedOut) {
            handedOut = true;
            return buf;
        }
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
            handedOut = false;
        }
    }
}
