package dev.vouch.archive;

import static dev.vouch.archive.Archives.CHUNK;
import static dev.vouch.archive.Archives.FULL_CHUNK;
import static dev.vouch.archive.Archives.chunkOffset;
import static dev.vouch.archive.Archives.open;
import static dev.vouch.archive.Archives.random;
import static dev.vouch.archive.Archives.seal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.archive.CorruptArchiveException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveStreamTest {
    /** Two full chunks and a short last one: 86 + 2 x 65557 + (5 + 1000 + 16) bytes. */
    private static final byte[] PLAIN = random(2 * CHUNK + 1000, 7);
    private static final byte[] ARCHIVE;

    static {
        try {
            ARCHIVE = seal(PLAIN);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * 1024 * 1024 + 12345})
    void roundTripsEverySizeAroundTheChunkBoundary(int size) throws IOException {
        byte[] plain = random(size, size);
        byte[] archive = seal(plain);

        int chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
        assertThat(archive).hasSize(ArchiveHeader.LENGTH + chunks * (5 + 16) + size);
        assertThat(open(archive)).isEqualTo(plain);
    }

    @ParameterizedTest(name = "read buffer {0}")
    @ValueSource(ints = {1, 3, 7, 4093, CHUNK + 17})
    void readsWithTinyAndOddBuffers(int bufferSize) throws IOException {
        assertThat(open(ARCHIVE, Archives.PASSPHRASE, bufferSize)).isEqualTo(PLAIN);
    }

    @Test
    void writesThroughSingleBytesAndOddSlices() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArchiveWriter writer = ArchiveWriter.create(out, Archives.PASSPHRASE, Archives.FAST)) {
            int i = 0;
            for (; i < 5000; i++) {
                writer.write(PLAIN[i]);
            }
            while (i < PLAIN.length) {
                int n = Math.min(9973, PLAIN.length - i);
                writer.write(PLAIN, i, n);
                i += n;
            }
        }
        assertThat(open(out.toByteArray())).isEqualTo(PLAIN);
    }

    @Test
    void singleByteReadsReturnUnsignedBytesThenEndOfStream() throws IOException {
        byte[] plain = {(byte) 0xFF, 0, 0x7F};
        try (InputStream reader = ArchiveReader.open(new ByteArrayInputStream(seal(plain)), Archives.PASSPHRASE)) {
            assertThat(reader.read()).isEqualTo(0xFF);
            assertThat(reader.read()).isEqualTo(0);
            assertThat(reader.read()).isEqualTo(0x7F);
            assertThat(reader.read()).isEqualTo(-1);
            assertThat(reader.read()).isEqualTo(-1);
        }
    }

    @Test
    void twoArchivesOfTheSameInputShareNoBytesAfterTheMagic() throws IOException {
        byte[] a = seal(PLAIN);
        byte[] b = seal(PLAIN);
        assertThat(Arrays.copyOfRange(a, 22, 54)).isNotEqualTo(Arrays.copyOfRange(b, 22, 54));
        assertThat(Arrays.copyOfRange(a, chunkOffset(0) + 5, chunkOffset(0) + 100))
                .isNotEqualTo(Arrays.copyOfRange(b, chunkOffset(0) + 5, chunkOffset(0) + 100));
    }

    @Test
    void newArchivesDefaultToTheStoresStrongKeyDerivation() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.create(out, Archives.PASSPHRASE).close();
        ArchiveHeader header = ArchiveHeader.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(header.params()).isEqualTo(new dev.vouch.protocol.crypto.Argon2id.Params(64 * 1024, 3, 4));
        assertThat(Archives.open(out.toByteArray())).isEmpty();
    }

    @Test
    void closedStreamsRefuseUse() throws IOException {
        ArchiveWriter writer = ArchiveWriter.create(new ByteArrayOutputStream(), Archives.PASSPHRASE, Archives.FAST);
        writer.close();
        writer.close();
        assertThatThrownBy(() -> writer.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        ArchiveReader reader = ArchiveReader.open(new ByteArrayInputStream(ARCHIVE), Archives.PASSPHRASE);
        reader.close();
        assertThatThrownBy(reader::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    // --- the corruption matrix ---

    @Test
    void aWrongPassphraseFailsFastBeforeAnyChunk() {
        assertThatThrownBy(() -> ArchiveReader.open(new ByteArrayInputStream(ARCHIVE), "correct horse battery stapl".toCharArray()))
                .isInstanceOf(WrongArchivePassphraseException.class).hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> ArchiveReader.open(new ByteArrayInputStream(Arrays.copyOf(ARCHIVE, ArchiveHeader.LENGTH)),
                new char[0])).isInstanceOf(WrongArchivePassphraseException.class);
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] bad = ARCHIVE.clone();
        bad[9] = 2;
        assertThatThrownBy(() -> open(bad)).isInstanceOf(UnsupportedArchiveVersionException.class);
    }

    @Test
    void randomBytesAreNotAnArchive() {
        assertThatThrownBy(() -> open(random(5000, 99))).isInstanceOf(NotAnArchiveException.class);
        assertThatThrownBy(() -> open(new byte[0])).isInstanceOf(NotAnArchiveException.class);
    }

    @ParameterizedTest(name = "cut at {0}")
    @ValueSource(ints = {1, 7, 8, 9, 10, 21, 22, 53, 54, 85})
    void truncationInsideTheHeaderIsRefused(int length) {
        Class<? extends ArchiveException> expected = length < 8 ? NotAnArchiveException.class : CorruptArchiveException.class;
        assertThatThrownBy(() -> open(Arrays.copyOf(ARCHIVE, length))).isInstanceOf(expected);
    }

    @Test
    void truncationAtEveryChunkBoundaryNamesTheMissingChunk() {
        for (int chunk = 0; chunk <= 2; chunk++) {
            int cut = chunkOffset(chunk);
            long expectedChunk = chunk;
            assertThatThrownBy(() -> open(Arrays.copyOf(ARCHIVE, cut)))
                    .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
                        assertThat(e.chunk()).isEqualTo(expectedChunk);
                        assertThat(e).hasMessageContaining("chunk " + expectedChunk).hasMessageContaining("truncated");
                    });
        }
    }

    @Test
    void truncationInsideEveryChunkIsRefused() {
        for (int chunk = 0; chunk <= 2; chunk++) {
            int start = chunkOffset(chunk);
            int end = chunk < 2 ? chunkOffset(chunk + 1) : ARCHIVE.length;
            for (int cut : new int[] {start + 1, start + 4, start + 5, start + 6, start + 1000, end - 16, end - 1}) {
                long expectedChunk = chunk;
                assertThatThrownBy(() -> open(Arrays.copyOf(ARCHIVE, cut)))
                        .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                            assertThat(e.kind()).isEqualTo(Kind.TRUNCATED);
                            assertThat(e.chunk()).isEqualTo(expectedChunk);
                        });
            }
        }
    }

    @Test
    void aBitFlipInTheMagicMeansNotAnArchive() {
        for (int i = 0; i < 8; i++) {
            int offset = i;
            assertThatThrownBy(() -> open(flip(ARCHIVE, offset, 0))).isInstanceOf(NotAnArchiveException.class);
        }
    }

    @Test
    void aBitFlipInTheVersionIsAnUnsupportedVersion() {
        for (int i = 0; i < 16; i++) {
            int bit = i;
            assertThatThrownBy(() -> open(flip(ARCHIVE, 8 + bit / 8, bit % 8)))
                    .isInstanceOf(UnsupportedArchiveVersionException.class);
        }
    }

    @Test
    void aBitFlipInTheKdfParametersIsRefused() {
        // memory 64 -> 65, 66, 96, 2^31+64 KiB; passes 1 -> 0, 3, 2^31+1; lanes 1 -> 0, 3, 2^31+1
        int[][] flips = {{13, 0}, {13, 1}, {13, 5}, {10, 7}, {17, 0}, {17, 1}, {14, 7}, {21, 0}, {21, 1}, {18, 7}};
        for (int[] f : flips) {
            assertThatThrownBy(() -> open(flip(ARCHIVE, f[0], f[1])))
                    .as("byte %d bit %d", f[0], f[1])
                    .isInstanceOfAny(CorruptArchiveException.class, WrongArchivePassphraseException.class);
        }
        assertThatThrownBy(() -> open(flip(ARCHIVE, 13, 0))).isInstanceOf(WrongArchivePassphraseException.class);
        assertThatThrownBy(() -> open(flip(ARCHIVE, 17, 0))).isInstanceOf(CorruptArchiveException.class);
    }

    @Test
    void aBitFlipInTheSaltStreamIdOrCheckValueFailsThePassphraseCheck() {
        for (int offset : new int[] {22, 30, 37, 38, 45, 53, 54, 70, 85}) {
            for (int bit : new int[] {0, 7}) {
                assertThatThrownBy(() -> open(flip(ARCHIVE, offset, bit)))
                        .as("byte %d bit %d", offset, bit)
                        .isInstanceOf(WrongArchivePassphraseException.class);
            }
        }
    }

    @Test
    void aBitFlipInEveryChunksFrameCiphertextAndTagIsTampering() {
        for (int chunk = 0; chunk <= 2; chunk++) {
            int start = chunkOffset(chunk);
            int end = chunk < 2 ? chunkOffset(chunk + 1) : ARCHIVE.length;
            // last flag, length, first and last ciphertext byte, first and last tag byte
            for (int offset : new int[] {start, start + 1, start + 3, start + 4, start + 5, end - 17, end - 16, end - 1}) {
                long expectedChunk = chunk;
                assertThatThrownBy(() -> open(flip(ARCHIVE, offset, 0)))
                        .as("chunk %d byte %d", chunk, offset)
                        .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                            assertThat(e.chunk()).isEqualTo(expectedChunk);
                            assertThat(e.kind()).isIn(Kind.TAMPERED, Kind.TRUNCATED);
                        });
            }
        }
    }

    @Test
    void flippingTheLastFlagOfTheLastChunkDoesNotAuthenticate() {
        int last = chunkOffset(2);
        assertThatThrownBy(() -> open(flip(ARCHIVE, last, 0)))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TAMPERED));
        byte[] full = sealRandom(CHUNK);
        assertThatThrownBy(() -> open(flip(full, chunkOffset(0), 0)))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
                    assertThat(e).hasMessageContaining("does not authenticate");
                });
    }

    @Test
    void swappedChunksAreRefused() {
        byte[] swapped = ARCHIVE.clone();
        System.arraycopy(ARCHIVE, chunkOffset(1), swapped, chunkOffset(0), FULL_CHUNK);
        System.arraycopy(ARCHIVE, chunkOffset(0), swapped, chunkOffset(1), FULL_CHUNK);
        assertTampered(swapped, 0);
    }

    @Test
    void aDuplicatedChunkIsRefused() {
        byte[] duplicated = concat(Arrays.copyOf(ARCHIVE, chunkOffset(1)), Arrays.copyOfRange(ARCHIVE, chunkOffset(0), ARCHIVE.length));
        assertTampered(duplicated, 1);
    }

    @Test
    void aRemovedChunkIsRefused() {
        byte[] removed = concat(Arrays.copyOf(ARCHIVE, chunkOffset(0)), Arrays.copyOfRange(ARCHIVE, chunkOffset(1), ARCHIVE.length));
        assertTampered(removed, 0);
        byte[] lastRemoved = Arrays.copyOf(ARCHIVE, chunkOffset(2));
        assertThatThrownBy(() -> open(lastRemoved))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRUNCATED));
    }

    @Test
    void aChunkFromAnotherArchiveUnderTheSamePassphraseIsRefused() throws IOException {
        byte[] other = seal(PLAIN);
        byte[] spliced = ARCHIVE.clone();
        System.arraycopy(other, chunkOffset(1), spliced, chunkOffset(1), FULL_CHUNK);
        assertTampered(spliced, 1);
    }

    @ParameterizedTest(name = "{0} trailing bytes")
    @ValueSource(ints = {1, 5, 16, 100})
    void trailingBytesAfterTheLastChunkAreRefused(int extra) {
        byte[] appended = concat(ARCHIVE, random(extra, extra));
        assertThatThrownBy(() -> open(appended))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TRAILING_DATA);
                    assertThat(e.chunk()).isEqualTo(2);
                    assertThat(e).hasMessageContaining("trailing data");
                });
    }

    @Test
    void noByteOfAFailingChunkIsReleased() throws IOException {
        byte[] bad = flip(ARCHIVE, chunkOffset(1) + 100, 3);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream reader = ArchiveReader.open(new ByteArrayInputStream(bad), Archives.PASSPHRASE)) {
            byte[] buf = new byte[4096];
            assertThatThrownBy(() -> {
                int n;
                while ((n = reader.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            }).isInstanceOf(CorruptArchiveException.class);
        }
        assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(PLAIN, CHUNK));
    }

    private static void assertTampered(byte[] archive, long chunk) {
        assertThatThrownBy(() -> open(archive))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TAMPERED);
                    assertThat(e.chunk()).isEqualTo(chunk);
                    assertThat(e).hasMessageContaining("chunk " + chunk);
                });
    }

    private static byte[] sealRandom(int size) {
        try {
            return Archives.seal(random(size, size));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] flip(byte[] data, int offset, int bit) {
        byte[] out = data.clone();
        out[offset] ^= (byte) (1 << bit);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
