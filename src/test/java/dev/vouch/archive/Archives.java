package dev.vouch.archive;

import dev.vouch.protocol.crypto.Argon2id;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/** Helpers for the archive tests: small Argon2 parameters so that each archive costs milliseconds. */
final class Archives {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    static final int CHUNK = 64 * 1024;
    /** Bytes of one full chunk on disk: frame, ciphertext, tag. */
    static final int FULL_CHUNK = 5 + CHUNK + 16;

    private Archives() {
    }

    static byte[] random(int length, long seed) {
        byte[] out = new byte[length];
        new Random(seed).nextBytes(out);
        return out;
    }

    static byte[] seal(byte[] plaintext) throws IOException {
        return seal(plaintext, PASSPHRASE);
    }

    static byte[] seal(byte[] plaintext, char[] passphrase) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArchiveWriter writer = ArchiveWriter.create(out, passphrase, FAST)) {
            writer.write(plaintext);
        }
        return out.toByteArray();
    }

    static byte[] open(byte[] archive) throws IOException {
        return open(archive, PASSPHRASE, 8192);
    }

    static byte[] open(byte[] archive, char[] passphrase, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream reader = ArchiveReader.open(new ByteArrayInputStream(archive), passphrase)) {
            byte[] buf = new byte[bufferSize];
            int n;
            while ((n = reader.read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** The offset of chunk {@code i} in an archive whose earlier chunks are all full. */
    static int chunkOffset(int i) {
        return ArchiveHeader.LENGTH + i * FULL_CHUNK;
    }
}
