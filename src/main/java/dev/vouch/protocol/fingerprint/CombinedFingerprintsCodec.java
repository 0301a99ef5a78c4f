package dev.vouch.protocol.fingerprint;

import java.util.Arrays;

/**
 * Byte-exact protobuf encoding of Signal's
 * {@code CombinedFingerprints{uint32 version = 1; LogicalFingerprint local = 2; LogicalFingerprint remote = 3}}
 * with {@code LogicalFingerprint{bytes content = 1}}. Three fields do not justify a protobuf
 * dependency. The reader is deliberately strict: it accepts only the canonical form that libsignal
 * and this writer produce (fields in order, minimal varints, 32-byte contents, nothing else), so a
 * tampered or damaged code is rejected instead of being reinterpreted.
 */
final class CombinedFingerprintsCodec {
    static final int CONTENT_LENGTH = 32;

    private static final int TAG_VERSION = 0x08;         // field 1, varint
    private static final int TAG_LOCAL = 0x12;           // field 2, length-delimited
    private static final int TAG_REMOTE = 0x1a;          // field 3, length-delimited
    private static final int TAG_CONTENT = 0x0a;         // LogicalFingerprint field 1, length-delimited
    private static final int LOGICAL_LENGTH = 2 + CONTENT_LENGTH; // tag + length byte + content
    private static final int MAX_VARINT_BYTES = 5;       // a uint32

    private CombinedFingerprintsCodec() {
    }

    static byte[] encode(int version, byte[] local, byte[] remote) {
        byte[] out = new byte[1 + varintSize(version) + 2 * (2 + LOGICAL_LENGTH)];
        int pos = 0;
        out[pos++] = TAG_VERSION;
        pos = writeVarint(out, pos, version);
        pos = writeLogical(out, pos, TAG_LOCAL, local);
        pos = writeLogical(out, pos, TAG_REMOTE, remote);
        assert pos == out.length;
        return out;
    }

    static ScannableFingerprint decode(byte[] bytes) throws FingerprintParsingException {
        if (bytes == null) {
            throw new FingerprintParsingException("no fingerprint bytes");
        }
        Reader reader = new Reader(bytes);
        reader.expectTag(TAG_VERSION, "version");
        long version = reader.readVarint("version");
        if (version > Integer.MAX_VALUE) {
            throw new FingerprintParsingException("fingerprint version " + version + " is out of range");
        }
        byte[] local = reader.readLogical(TAG_LOCAL, "local fingerprint");
        byte[] remote = reader.readLogical(TAG_REMOTE, "remote fingerprint");
        reader.expectEnd();
        return new ScannableFingerprint((int) version, local, remote);
    }

    private static int writeLogical(byte[] out, int pos, int tag, byte[] content) {
        out[pos++] = (byte) tag;
        out[pos++] = LOGICAL_LENGTH;
        out[pos++] = TAG_CONTENT;
        out[pos++] = CONTENT_LENGTH;
        System.arraycopy(content, 0, out, pos, CONTENT_LENGTH);
        return pos + CONTENT_LENGTH;
    }

    private static int varintSize(int value) {
        int size = 1;
        for (long rest = Integer.toUnsignedLong(value) >>> 7; rest != 0; rest >>>= 7) {
            size++;
        }
        return size;
    }

    private static int writeVarint(byte[] out, int pos, int value) {
        long rest = Integer.toUnsignedLong(value);
        while (rest >= 0x80) {
            out[pos++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out[pos++] = (byte) rest;
        return pos;
    }

    /** Reads the canonical layout; every failure is a {@link FingerprintParsingException}. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        void expectTag(int tag, String field) throws FingerprintParsingException {
            int actual = readByte(field);
            if (actual != tag) {
                throw new FingerprintParsingException(String.format(
                        "expected the %s field (tag 0x%02x) at offset %d, found 0x%02x", field, tag, pos - 1, actual));
            }
        }

        /** A minimal (canonical) protobuf varint of at most 32 bits. */
        long readVarint(String field) throws FingerprintParsingException {
            long value = 0;
            for (int i = 0; i < MAX_VARINT_BYTES; i++) {
                int b = readByte(field);
                value |= (long) (b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (b == 0 && i > 0) {
                        throw new FingerprintParsingException("non-minimal varint in the " + field + " field");
                    }
                    if (value > 0xffff_ffffL) {
                        throw new FingerprintParsingException("the " + field + " field exceeds 32 bits");
                    }
                    return value;
                }
            }
            throw new FingerprintParsingException("the " + field + " varint is longer than 5 bytes");
        }

        byte[] readLogical(int tag, String field) throws FingerprintParsingException {
            expectTag(tag, field);
            expectLength(LOGICAL_LENGTH, field);
            expectTag(TAG_CONTENT, field + " content");
            expectLength(CONTENT_LENGTH, field + " content");
            if (bytes.length - pos < CONTENT_LENGTH) {
                throw new FingerprintParsingException("the " + field + " is truncated");
            }
            byte[] content = Arrays.copyOfRange(bytes, pos, pos + CONTENT_LENGTH);
            pos += CONTENT_LENGTH;
            return content;
        }

        void expectEnd() throws FingerprintParsingException {
            if (pos != bytes.length) {
                throw new FingerprintParsingException((bytes.length - pos) + " unexpected bytes after the fingerprint");
            }
        }

        private void expectLength(int expected, String field) throws FingerprintParsingException {
            long length = readVarint(field + " length");
            if (length != expected) {
                throw new FingerprintParsingException(
                        "the " + field + " has length " + length + ", expected " + expected);
            }
        }

        private int readByte(String field) throws FingerprintParsingException {
            if (pos >= bytes.length) {
                throw new FingerprintParsingException("the fingerprint ends before the " + field + " field");
            }
            return bytes[pos++] & 0xff;
        }
    }
}
