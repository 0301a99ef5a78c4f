package dev.vouch.bench;

import dev.vouch.archive.ArchiveReader;
import dev.vouch.archive.ArchiveWriter;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.CryptoRandom;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The archive stream against raw AES-256-GCM over the same data in the same run. One op = 16 MiB
 * of plaintext (256 chunks of 64 KiB), so MB/s = ops/s x 16.78 (MiB/s = ops/s x 16).
 *
 * <p>{@code streamWrite} is {@link ArchiveWriter} from {@code create} to {@code close} into a
 * discarding sink, fed in 8 KiB writes like a file copy; {@code streamRead} is {@link ArchiveReader}
 * from {@code open} to end of stream, read in 8 KiB. Both include one Argon2id run at the minimum
 * cost (8 KiB, 1 pass, about 20 µs, under 0.5% of an op) so that the figures are those of the
 * stream, not of the passphrase hardening, which costs the same whatever the archive's size.
 * {@code rawEncrypt} / {@code rawDecrypt} are {@link AesGcm} alone on the same 256 chunks with a
 * 95-byte associated data (the header, counter and flag) and a fresh nonce per chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ArchiveStreamBench {
    static final int CHUNK = 64 * 1024;
    static final int CHUNKS = 256;
    private static final Argon2id.Params MINIMAL = new Argon2id.Params(8, 1, 1);
    private static final char[] PASSPHRASE = "bench passphrase".toCharArray();

    private final byte[] plaintext = CryptoRandom.bytes(CHUNK * CHUNKS);
    private final byte[] io = new byte[8192];
    private final byte[] key = CryptoRandom.bytes(AesGcm.KEY_LENGTH);
    private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    private final byte[] aad = CryptoRandom.bytes(86 + 8 + 1);
    private final byte[][] chunks = new byte[CHUNKS][];
    private final byte[][] sealedChunks = new byte[CHUNKS][];
    private byte[] archive;

    @Setup
    public void setUp() throws IOException {
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = java.util.Arrays.copyOfRange(plaintext, i * CHUNK, (i + 1) * CHUNK);
            sealedChunks[i] = rawSeal(i, chunks[i]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 8192);
        try (ArchiveWriter writer = ArchiveWriter.create(out, PASSPHRASE, MINIMAL)) {
            writer.write(plaintext);
        }
        archive = out.toByteArray();
    }

    @Benchmark
    public long streamWrite() throws IOException {
        Counting sink = new Counting();
        try (ArchiveWriter writer = ArchiveWriter.create(sink, PASSPHRASE, MINIMAL)) {
            for (int off = 0; off < plaintext.length; off += io.length) {
                writer.write(plaintext, off, io.length);
            }
        }
        return sink.count;
    }

    @Benchmark
    public long rawEncrypt() {
        long total = 0;
        for (int i = 0; i < CHUNKS; i++) {
            total += rawSeal(i, chunks[i]).length;
        }
        return total;
    }

    @Benchmark
    public long streamRead() throws IOException {
        long total = 0;
        try (InputStream reader = ArchiveReader.open(new ByteArrayInputStream(archive), PASSPHRASE)) {
            int n;
            while ((n = reader.read(io)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    @Benchmark
    public long rawDecrypt() throws Exception {
        long total = 0;
        for (int i = 0; i < CHUNKS; i++) {
            nonce[11] = (byte) i;
            total += AesGcm.decrypt(key, nonce, sealedChunks[i], aad).length;
        }
        return total;
    }

    private byte[] rawSeal(int i, byte[] chunk) {
        nonce[11] = (byte) i;
        try {
            return AesGcm.encrypt(key, nonce, chunk, aad);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sink that only counts, so the figures carry no copying into a growing buffer. */
    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
