package dev.vouch.archive;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.Hkdf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key schedule: Argon2id turns the passphrase into a 32-byte master secret; HKDF-SHA-256
 * expands it, under distinct labels bound to the header prefix, into the passphrase check value
 * and the stream key. The check value reveals nothing about the stream key (independent HKDF
 * outputs) and commits the reader to one key before any chunk is opened.
 */
final class ArchiveKeys {
    static final int KEY_LENGTH = 32;
    private static final byte[] CHECK_LABEL = "Vouch archive v1 passphrase check".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_LABEL = "Vouch archive v1 stream key".getBytes(StandardCharsets.US_ASCII);

    final byte[] check;
    final byte[] streamKey;

    private ArchiveKeys(byte[] check, byte[] streamKey) {
        this.check = check;
        this.streamKey = streamKey;
    }

    static ArchiveKeys derive(char[] passphrase, Argon2id.Params params, byte[] salt, byte[] streamId) {
        if (passphrase == null) {
            throw new IllegalArgumentException("an archive needs a passphrase");
        }
        byte[] prefix = ArchiveHeader.prefix(params, salt, streamId);
        byte[] password = utf8(passphrase);
        byte[] master = Argon2id.derive(password, salt, params, KEY_LENGTH);
        try {
            return new ArchiveKeys(Hkdf.derive(null, master, concat(CHECK_LABEL, prefix), ArchiveHeader.CHECK_LENGTH),
                    Hkdf.derive(null, master, concat(STREAM_LABEL, prefix), KEY_LENGTH));
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(master, (byte) 0);
        }
    }

    void destroy() {
        Arrays.fill(streamKey, (byte) 0);
    }

    private static byte[] utf8(char[] passphrase) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
