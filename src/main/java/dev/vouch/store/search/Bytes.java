package dev.vouch.store.search;

import java.util.Arrays;

/** A growable byte buffer with unsigned LEB128 varints, and a bounds-checked reader for it. */
final class Bytes {
    private byte[] buf;
    private int size;

    Bytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful. */
    byte[] array() {
        return buf;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Overwrites the contents (they may be plaintext) and forgets them. */
    void wipe() {
        Arrays.fill(buf, (byte) 0);
        size = 0;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("search index too large");
            }
            byte[] grown = Arrays.copyOf(buf, (int) wanted);
            Arrays.fill(buf, (byte) 0);
            buf = grown;
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void varint(int v) {
        varlong(v & 0xFFFFFFFFL);
    }

    void varlong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void write(byte[] src, int from, int length) {
        ensure(length);
        System.arraycopy(src, from, buf, size, length);
        size += length;
    }

    /** Appends a copy of {@code length} bytes of this buffer starting at {@code from}. */
    void repeat(int from, int length) {
        ensure(length);
        System.arraycopy(buf, from, buf, size, length);
        size += length;
    }

    /** Writes a varint into {@code out} at {@code pos}; returns the position after it. */
    static int putVarint(byte[] out, int pos, int v) {
        while ((v & ~0x7F) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }

    static int varintLength(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Reads what {@link Bytes} wrote, refusing anything out of bounds or oversized. */
    static final class Reader {
        private final byte[] data;
        private final int end;
        private int pos;

        Reader(byte[] data, int from, int to) {
            this.data = data;
            this.pos = from;
            this.end = to;
        }

        int position() {
            return pos;
        }

        int remaining() {
            return end - pos;
        }

        int u8() throws MalformedSnapshotException {
            if (pos >= end) {
                throw new MalformedSnapshotException("truncated");
            }
            return data[pos++] & 0xFF;
        }

        long varlong() throws MalformedSnapshotException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new MalformedSnapshotException("varint too long");
        }

        /** A non-negative int no larger than {@code max}. */
        int varint(int max) throws MalformedSnapshotException {
            long v = varlong();
            if (v < 0 || v > max) {
                throw new MalformedSnapshotException("value out of range: " + v);
            }
            return (int) v;
        }

        void skip(int length) throws MalformedSnapshotException {
            if (length < 0 || length > end - pos) {
                throw new MalformedSnapshotException("truncated");
            }
            pos += length;
        }
    }
}
