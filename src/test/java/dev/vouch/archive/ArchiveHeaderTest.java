package dev.vouch.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.encoding.ByteWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ArchiveHeaderTest {
    private static final byte[] SALT = Archives.random(16, 1);
    private static final byte[] ID = Archives.random(16, 2);
    private static final byte[] CHECK = Archives.random(32, 3);

    @Test
    void encodesTheDocumentedLayoutAndReadsItBack() throws IOException {
        ArchiveHeader header = new ArchiveHeader(new Argon2id.Params(65536, 3, 4), SALT, ID, CHECK);
        byte[] bytes = header.encode();

        assertThat(bytes).hasSize(86);
        assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("VOUCHARC");
        assertThat(Arrays.copyOfRange(bytes, 8, 22)).containsExactly(0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4);
        assertThat(Arrays.copyOfRange(bytes, 22, 38)).isEqualTo(SALT);
        assertThat(Arrays.copyOfRange(bytes, 38, 54)).isEqualTo(ID);
        assertThat(Arrays.copyOfRange(bytes, 54, 86)).isEqualTo(CHECK);

        ArchiveHeader read = ArchiveHeader.read(new ByteArrayInputStream(bytes));
        assertThat(read.params()).isEqualTo(header.params());
        assertThat(read.salt()).isEqualTo(SALT);
        assertThat(read.streamId()).isEqualTo(ID);
        assertThat(read.check()).isEqualTo(CHECK);
    }

    @Test
    void readsExactlyTheHeaderAndNoMore() throws IOException {
        byte[] bytes = new ArchiveHeader(Archives.FAST, SALT, ID, CHECK).encode();
        byte[] withMore = Arrays.copyOf(bytes, bytes.length + 3);
        withMore[bytes.length] = 42;
        ByteArrayInputStream in = new ByteArrayInputStream(withMore);
        ArchiveHeader.read(in);
        assertThat(in.read()).isEqualTo(42);
    }

    @ParameterizedTest(name = "memory {0} KiB, {1} passes, {2} lanes")
    @CsvSource({
        "1048577, 1, 1", "2147483647, 1, 1", "-1, 1, 1", "0, 1, 1",
        "64, 0, 1", "64, 101, 1", "64, -1, 1",
        "64, 1, 0", "1024, 1, 17", "64, 1, -1", "64, 1, 9"})
    void refusesHostileParametersBeforeAnyKeyDerivation(int memory, int iterations, int parallelism) {
        byte[] bytes = new ByteWriter().fixed("VOUCHARC".getBytes(StandardCharsets.US_ASCII)).u16(1)
                .u32(memory).u32(iterations).u32(parallelism).fixed(SALT).fixed(ID).fixed(CHECK).toByteArray();
        assertThatThrownBy(() -> ArchiveHeader.read(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(CorruptArchiveException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CorruptArchiveException.Kind.MALFORMED_HEADER);
                    assertThat(e.chunk()).isEqualTo(CorruptArchiveException.HEADER);
                });
    }

    @Test
    void acceptsTheBoundsThemselves() throws IOException {
        byte[] bytes = new ArchiveHeader(new Argon2id.Params(1024 * 1024, 100, 16), SALT, ID, CHECK).encode();
        assertThat(ArchiveHeader.read(new ByteArrayInputStream(bytes)).params())
                .isEqualTo(new Argon2id.Params(1024 * 1024, 100, 16));
    }

    @Test
    void aWriterRefusesParametersNoReaderWouldAccept() {
        assertThatThrownBy(() -> new ArchiveHeader(new Argon2id.Params(64, 101, 1), SALT, ID, CHECK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveWriter.create(new java.io.ByteArrayOutputStream(), Archives.PASSPHRASE,
                new Argon2id.Params(2 * 1024 * 1024, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesFieldsOfTheWrongLength() {
        assertThatThrownBy(() -> new ArchiveHeader(Archives.FAST, new byte[15], ID, CHECK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArchiveHeader(Archives.FAST, SALT, new byte[17], CHECK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArchiveHeader(Archives.FAST, SALT, ID, new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownVersionIsNamed() {
        byte[] bytes = new ArchiveHeader(Archives.FAST, SALT, ID, CHECK).encode();
        bytes[9] = 2;
        assertThatThrownBy(() -> ArchiveHeader.read(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(UnsupportedArchiveVersionException.class, e -> {
                    assertThat(e.version()).isEqualTo(2);
                    assertThat(e).hasMessageContaining("version 2");
                });
    }

    @Test
    void anUnknownVersionIsReportedEvenWhenItsHeaderIsShorter() {
        byte[] bytes = Arrays.copyOf(new ArchiveHeader(Archives.FAST, SALT, ID, CHECK).encode(), 10);
        bytes[8] = 1;
        assertThatThrownBy(() -> ArchiveHeader.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(UnsupportedArchiveVersionException.class);
    }

    @Test
    void emptyAndForeignInputsAreNotArchives() {
        for (byte[] bytes : new byte[][] {new byte[0], "PK\u0003\u0004zip".getBytes(StandardCharsets.ISO_8859_1),
                "VOUCHARX-------".getBytes(StandardCharsets.US_ASCII)}) {
            assertThatThrownBy(() -> ArchiveHeader.read(new ByteArrayInputStream(bytes)))
                    .isInstanceOf(NotAnArchiveException.class).hasMessageContaining("not a Vouch archive");
        }
    }
}
