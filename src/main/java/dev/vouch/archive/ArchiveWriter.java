package dev.vouch.archive;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.CryptoRandom;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts a stream into a Vouch archive (docs/archive-format.md). Buffers at most one
 * {@value ChunkCipher#CHUNK_SIZE}-byte chunk of plaintext; a full chunk is written only once more
 * data follows it, so {@link #close()} always writes the buffered tail as the chunk marked last
 * (empty only when nothing was written at all). Closing closes the underlying stream. Not
 * thread-safe.
 */
public final class ArchiveWriter extends OutputStream {
    /** The key derivation cost of new archives: RFC 9106's second option, as for the profile store. */
    public static final Argon2id.Params DEFAULT_PARAMS = Argon2id.Params.RECOMMENDED;

    private final OutputStream out;
    private final ArchiveKeys keys;
    private final ChunkCipher cipher;
    private final byte[] buffer = new byte[ChunkCipher.CHUNK_SIZE];
    private final byte[] frame = new byte[ChunkCipher.FRAME_LENGTH];
    private int buffered;
    private long counter;
    private boolean closed;

    private ArchiveWriter(OutputStream out, ArchiveKeys keys, byte[] header) {
        this.out = out;
        this.keys = keys;
        this.cipher = new ChunkCipher(keys.streamKey, header);
    }

    /** {@link #create(OutputStream, char[], Argon2id.Params)} at {@link #DEFAULT_PARAMS}. */
    public static ArchiveWriter create(OutputStream out, char[] passphrase) throws IOException {
        return create(out, passphrase, DEFAULT_PARAMS);
    }

    /**
     * Derives the keys (one Argon2id run at {@code params}), writes the header to {@code out} and
     * returns the stream to write the plaintext to.
     *
     * @throws IllegalArgumentException when {@code params} exceed what readers accept
     *     ({@link ArchiveHeader#withinBounds})
     */
    public static ArchiveWriter create(OutputStream out, char[] passphrase, Argon2id.Params params) throws IOException {
        Objects.requireNonNull(out, "out");
        if (params == null || !ArchiveHeader.withinBounds(params)) {
            throw new IllegalArgumentException("archive Argon2 parameters exceed what readers accept");
        }
        byte[] salt = CryptoRandom.bytes(ArchiveHeader.SALT_LENGTH);
        byte[] streamId = CryptoRandom.bytes(ArchiveHeader.STREAM_ID_LENGTH);
        ArchiveKeys keys = ArchiveKeys.derive(passphrase, params, salt, streamId);
        byte[] header = new ArchiveHeader(params, salt, streamId, keys.check).encode();
        out.write(header);
        return new ArchiveWriter(out, keys, header);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (buffered == buffer.length) {
                writeChunk(false);
            }
            int n = Math.min(len, buffer.length - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Flushes the underlying stream; buffered plaintext stays buffered until its chunk is complete. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /** Writes the last chunk (possibly empty) and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            writeChunk(true);
            out.flush();
        } finally {
            closed = true;
            Arrays.fill(buffer, (byte) 0);
            keys.destroy();
            out.close();
        }
    }

    private void writeChunk(boolean last) throws IOException {
        byte[] plaintext = buffered == buffer.length ? buffer : Arrays.copyOf(buffer, buffered);
        byte[] sealed = cipher.seal(counter, last, plaintext);
        if (plaintext != buffer) {
            Arrays.fill(plaintext, (byte) 0);
        }
        frame[0] = (byte) (last ? 1 : 0);
        frame[1] = (byte) (buffered >>> 24);
        frame[2] = (byte) (buffered >>> 16);
        frame[3] = (byte) (buffered >>> 8);
        frame[4] = (byte) buffered;
        out.write(frame);
        out.write(sealed);
        counter++;
        buffered = 0;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("archive writer is closed");
        }
    }
}
