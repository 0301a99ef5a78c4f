package dev.vouch.archive;

import dev.vouch.archive.CorruptArchiveException.Kind;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.ConstantTime;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decrypts a Vouch archive as a stream (docs/archive-format.md). {@link #open} reads the header
 * and checks the passphrase before any chunk; each chunk is then read whole, authenticated at its
 * position and only then released, so no byte of a damaged chunk is ever returned. The stream ends
 * only after the chunk marked last, with nothing after it: an early end is a truncation, anything
 * after it trailing data, each a {@link CorruptArchiveException}. Memory is one chunk, whatever the
 * archive's size. Closing closes the underlying stream. Not thread-safe.
 */
public final class ArchiveReader extends InputStream {
    private static final int FULL_SEALED = ChunkCipher.CHUNK_SIZE + 16;

    private final InputStream in;
    private final ArchiveKeys keys;
    private final ChunkCipher cipher;
    private final byte[] frame = new byte[ChunkCipher.FRAME_LENGTH];
    private final byte[] fullSealed = new byte[FULL_SEALED];
    private byte[] plain = new byte[0];
    private int pos;
    private long counter;
    private boolean lastSeen;
    private boolean closed;

    private ArchiveReader(InputStream in, ArchiveKeys keys, byte[] header) {
        this.in = in;
        this.keys = keys;
        this.cipher = new ChunkCipher(keys.streamKey, header);
    }

    /**
     * Reads the header from {@code in}, derives the keys (one Argon2id run at the header's
     * parameters, which are bounded) and checks the passphrase.
     *
     * @throws NotAnArchiveException when {@code in} does not start with the archive magic
     * @throws UnsupportedArchiveVersionException for a format version this build does not read
     * @throws CorruptArchiveException when the header is cut short or out of bounds
     * @throws WrongArchivePassphraseException when the passphrase does not match the check value
     */
    public static ArchiveReader open(InputStream in, char[] passphrase) throws IOException {
        Objects.requireNonNull(in, "in");
        ArchiveHeader header = ArchiveHeader.read(in);
        ArchiveKeys keys = ArchiveKeys.derive(passphrase, header.params(), header.salt(), header.streamId());
        if (!ConstantTime.equals(keys.check, header.check())) {
            keys.destroy();
            throw new WrongArchivePassphraseException();
        }
        return new ArchiveReader(in, keys, header.encode());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        while (pos == plain.length) {
            if (lastSeen) {
                return -1;
            }
            nextChunk();
        }
        int n = Math.min(len, plain.length - pos);
        System.arraycopy(plain, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The plaintext already authenticated and not yet read: never blocks. */
    @Override
    public int available() throws IOException {
        ensureOpen();
        return plain.length - pos;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(plain, (byte) 0);
        keys.destroy();
        in.close();
    }

    private void nextChunk() throws IOException {
        int got = in.readNBytes(frame, 0, frame.length);
        if (got == 0) {
            throw new CorruptArchiveException(Kind.TRUNCATED, counter, counter == 0
                    ? "missing: the archive ends after its header (truncated)"
                    : "missing: the archive ends after chunk " + (counter - 1) + ", which is not the last (truncated)");
        }
        if (got < frame.length) {
            throw new CorruptArchiveException(Kind.TRUNCATED, counter, "truncated inside its frame");
        }
        if (frame[0] != 0 && frame[0] != 1) {
            throw new CorruptArchiveException(Kind.TAMPERED, counter, "last flag is neither 0 nor 1 (tampered)");
        }
        boolean last = frame[0] == 1;
        int length = ((frame[1] & 0xFF) << 24) | ((frame[2] & 0xFF) << 16) | ((frame[3] & 0xFF) << 8) | (frame[4] & 0xFF);
        if (length < 0 || length > ChunkCipher.CHUNK_SIZE || (!last && length != ChunkCipher.CHUNK_SIZE)) {
            throw new CorruptArchiveException(Kind.TAMPERED, counter, "impossible length " + Integer.toUnsignedString(length)
                    + (last ? "" : " for a chunk that is not the last") + " (tampered)");
        }
        byte[] sealed = length == ChunkCipher.CHUNK_SIZE ? fullSealed : new byte[length + 16];
        if (in.readNBytes(sealed, 0, sealed.length) < sealed.length) {
            throw new CorruptArchiveException(Kind.TRUNCATED, counter, "truncated inside its ciphertext");
        }
        byte[] opened;
        try {
            opened = cipher.open(counter, last, sealed);
        } catch (AuthenticationFailedException e) {
            throw new CorruptArchiveException(Kind.TAMPERED, counter,
                    "does not authenticate: altered, or a chunk swapped, duplicated or removed (tampered)");
        }
        if (last && in.read() >= 0) {
            Arrays.fill(opened, (byte) 0);
            throw new CorruptArchiveException(Kind.TRAILING_DATA, counter, "data follows the last chunk (trailing data)");
        }
        Arrays.fill(plain, (byte) 0);
        plain = opened;
        pos = 0;
        counter++;
        lastSeen = last;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("archive reader is closed");
        }
    }
}
