package dev.vouch.archive;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed {@value #LENGTH}-byte header of a Vouch archive (docs/archive-format.md): magic, format
 * version, Argon2id parameters, salt, stream id and the passphrase check value. Decoding is strict
 * and bounds the KDF parameters, so a hostile header cannot make the reader allocate more than
 * {@value #MAX_MEMORY_KIB} KiB or spend more than {@value #MAX_ITERATIONS} passes.
 */
public record ArchiveHeader(Argon2id.Params params, byte[] salt, byte[] streamId, byte[] check) {
    public static final int VERSION = 1;
    public static final int SALT_LENGTH = 16;
    public static final int STREAM_ID_LENGTH = 16;
    public static final int CHECK_LENGTH = 32;
    /** Bytes before the check value: everything the check value and the stream key are bound to. */
    public static final int PREFIX_LENGTH = 8 + 2 + 4 + 4 + 4 + SALT_LENGTH + STREAM_ID_LENGTH;
    public static final int LENGTH = PREFIX_LENGTH + CHECK_LENGTH;
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 100;
    public static final int MAX_PARALLELISM = 16;
    static final byte[] MAGIC = "VOUCHARC".getBytes(StandardCharsets.US_ASCII);

    public ArchiveHeader {
        checkBounds(params);
        salt = exact(salt, SALT_LENGTH, "salt");
        streamId = exact(streamId, STREAM_ID_LENGTH, "stream id");
        check = exact(check, CHECK_LENGTH, "check value");
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] streamId() {
        return streamId.clone();
    }

    @Override
    public byte[] check() {
        return check.clone();
    }

    /** True when the parameters lie within what {@link #read} accepts. */
    public static boolean withinBounds(Argon2id.Params params) {
        return params.memoryKiB() <= MAX_MEMORY_KIB && params.iterations() <= MAX_ITERATIONS
                && params.parallelism() <= MAX_PARALLELISM;
    }

    /** The header bytes, {@value #LENGTH} of them. */
    public byte[] encode() {
        return ByteWriter.exact(LENGTH).fixed(prefix(params, salt, streamId)).fixed(check).toByteArray();
    }

    /** The first {@value #PREFIX_LENGTH} bytes: the header without its check value. */
    static byte[] prefix(Argon2id.Params params, byte[] salt, byte[] streamId) {
        return ByteWriter.exact(PREFIX_LENGTH).fixed(MAGIC).u16(VERSION)
                .u32(params.memoryKiB()).u32(params.iterations()).u32(params.parallelism())
                .fixed(salt).fixed(streamId).toByteArray();
    }

    /**
     * Reads exactly the header from {@code in}, checking the magic first, then the version, then
     * the bounds, so each failure gets its own type.
     *
     * @throws NotAnArchiveException when the input does not start with the magic
     * @throws UnsupportedArchiveVersionException for any version but {@value #VERSION}
     * @throws CorruptArchiveException when the header is cut short or a parameter is out of bounds
     */
    public static ArchiveHeader read(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NotAnArchiveException(magic.length < MAGIC.length && Arrays.equals(magic,
                    Arrays.copyOf(MAGIC, magic.length)) && magic.length > 0
                    ? "archive header truncated inside its magic"
                    : "not a Vouch archive (the file does not start with VOUCHARC)");
        }
        byte[] version = in.readNBytes(2);
        if (version.length < 2) {
            throw new CorruptArchiveException(CorruptArchiveException.Kind.MALFORMED_HEADER, CorruptArchiveException.HEADER,
                    "truncated before its version");
        }
        int v = ((version[0] & 0xFF) << 8) | (version[1] & 0xFF);
        if (v != VERSION) {
            throw new UnsupportedArchiveVersionException(v);
        }
        byte[] rest = in.readNBytes(LENGTH - MAGIC.length - 2);
        if (rest.length < LENGTH - MAGIC.length - 2) {
            throw new CorruptArchiveException(CorruptArchiveException.Kind.MALFORMED_HEADER, CorruptArchiveException.HEADER,
                    "truncated (" + (MAGIC.length + 2 + rest.length) + " of " + LENGTH + " bytes)");
        }
        try {
            ByteReader r = new ByteReader(rest, "archive header");
            int memory = r.u32(1, MAX_MEMORY_KIB);
            int iterations = r.u32(1, MAX_ITERATIONS);
            int parallelism = r.u32(1, MAX_PARALLELISM);
            if (memory < 8 * parallelism) {
                throw new MalformedDataException("archive header: Argon2 memory below 8 KiB per lane");
            }
            Argon2id.Params params = new Argon2id.Params(memory, iterations, parallelism);
            byte[] salt = r.fixed(SALT_LENGTH);
            byte[] streamId = r.fixed(STREAM_ID_LENGTH);
            byte[] check = r.fixed(CHECK_LENGTH);
            r.end();
            return new ArchiveHeader(params, salt, streamId, check);
        } catch (MalformedDataException e) {
            throw new CorruptArchiveException(CorruptArchiveException.Kind.MALFORMED_HEADER, CorruptArchiveException.HEADER,
                    "key derivation parameters out of bounds (" + e.getMessage() + ")");
        }
    }

    private static void checkBounds(Argon2id.Params params) {
        if (params == null || !withinBounds(params)) {
            throw new IllegalArgumentException("archive Argon2 parameters must be at most " + MAX_MEMORY_KIB
                    + " KiB, " + MAX_ITERATIONS + " passes and " + MAX_PARALLELISM + " lanes");
        }
    }

    private static byte[] exact(byte[] value, int length, String name) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException("archive " + name + " must be " + length + " bytes");
        }
        return value.clone();
    }
}
