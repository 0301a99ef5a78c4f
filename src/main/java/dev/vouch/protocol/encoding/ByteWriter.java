package dev.vouch.protocol.encoding;

import java.util.Arrays;

/** Appends big-endian fixed-width integers and byte strings; the counterpart of {@link ByteReader}. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
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

    /** Bytes preceded by their length as u32. */
    public ByteWriter bytes(byte[] bytes) {
        u32(bytes.length);
        return fixed(bytes);
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
