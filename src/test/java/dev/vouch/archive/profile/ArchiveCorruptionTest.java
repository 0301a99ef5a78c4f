package dev.vouch.archive.profile;

import static dev.vouch.archive.profile.SampleProfile.CLOCK;
import static dev.vouch.archive.profile.SampleProfile.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.archive.ArchiveException;
import dev.vouch.archive.ArchiveHeader;
import dev.vouch.archive.CorruptArchiveException;
import dev.vouch.archive.NotAnArchiveException;
import dev.vouch.archive.UnsupportedArchiveVersionException;
import dev.vouch.archive.WrongArchivePassphraseException;
import dev.vouch.store.ProfileStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corruption matrix on a real export: the archive of a profile with a few thousand messages
 * (several chunks), cut at every chunk boundary and inside every chunk, with a bit flipped in each
 * region of the header and of every chunk (flag, length, ciphertext, tag), chunks swapped,
 * duplicated and removed, bytes appended, a wrong passphrase and a newer version. Each is refused
 * with its typed error; the profile it was imported into is unchanged (a good import would add
 * 2,500 messages to it), and an import into an empty folder leaves no profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveCorruptionTest {
    private static final char[] PASSPHRASE = "archive passphrase".toCharArray();
    private static final int CHUNK_FRAME = 5 + 65_536 + 16;

    @TempDir
    static Path dir;

    private byte[] archive;
    private ProfileStore target;
    private byte[] targetBefore;

    @BeforeAll
    void exportAndPrepareTarget() throws Exception {
        try (ProfileStore source = SampleProfile.create(dir.resolve("source"), "ada", 500, 1)) {
            Path early = dir.resolve("early.vouch");
            ArchiveFiles.export(source, ArchiveItem.Scope.FULL, early, PASSPHRASE, FAST, false, TransferMonitor.NONE, CLOCK);
            ArchiveFiles.importAsNewProfile(dir.resolve("target"), "target".toCharArray(), FAST, early, PASSPHRASE,
                    TransferMonitor.NONE, CLOCK);
            SampleProfile.fill(source, "ada", 2_500, 2);
            Path full = dir.resolve("full.vouch");
            ArchiveFiles.export(source, ArchiveItem.Scope.FULL, full, PASSPHRASE, FAST, false, TransferMonitor.NONE, CLOCK);
            archive = Files.readAllBytes(full);
        }
        target = ProfileStore.open(dir.resolve("target"), CLOCK);
        target.unlock("target".toCharArray());
        targetBefore = SampleProfile.snapshot(target, ArchiveItem.Scope.FULL);
        assertThat(chunks()).as("the export spans several chunks").isGreaterThanOrEqualTo(4);
    }

    @AfterAll
    void close() {
        target.close();
    }

    private int chunks() {
        return (int) Math.ceil((archive.length - ArchiveHeader.LENGTH) / (double) CHUNK_FRAME);
    }

    private int chunkStart(int i) {
        return ArchiveHeader.LENGTH + i * CHUNK_FRAME;
    }

    private int chunkEnd(int i) {
        return Math.min(archive.length, chunkStart(i + 1));
    }

    record Damage(byte[] bytes, char[] passphrase, Class<? extends ArchiveException> expected) {
    }

    Stream<Arguments> damages() {
        List<Arguments> out = new ArrayList<>();
        int n = chunks();
        out.add(case_("empty file", new byte[0], NotAnArchiveException.class));
        out.add(case_("cut inside the magic", cut(5), NotAnArchiveException.class));
        out.add(case_("cut inside the header", cut(40), CorruptArchiveException.class));
        out.add(case_("cut after the header", cut(ArchiveHeader.LENGTH), CorruptArchiveException.class));
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.add(case_("cut at the start of chunk " + i, cut(chunkStart(i)), CorruptArchiveException.class));
            }
            out.add(case_("cut inside chunk " + i, cut((chunkStart(i) + chunkEnd(i)) / 2), CorruptArchiveException.class));
            out.add(case_("cut inside the tag of chunk " + i, cut(chunkEnd(i) - 3), CorruptArchiveException.class));
        }
        out.add(case_("flip in the magic", flip(3), NotAnArchiveException.class));
        out.add(case_("flip in the version", flip(9), UnsupportedArchiveVersionException.class));
        out.add(case_("flip in the Argon2 memory", flip(13), WrongArchivePassphraseException.class));
        out.add(case_("flip in the Argon2 passes", flip(16), CorruptArchiveException.class));
        out.add(case_("flip in the Argon2 lanes", flip(20), CorruptArchiveException.class));
        out.add(case_("flip in the salt", flip(30), WrongArchivePassphraseException.class));
        out.add(case_("flip in the stream id", flip(45), WrongArchivePassphraseException.class));
        out.add(case_("flip in the check value", flip(70), WrongArchivePassphraseException.class));
        for (int i = 0; i < n; i++) {
            int s = chunkStart(i);
            out.add(case_("flip in the last flag of chunk " + i, flip(s), CorruptArchiveException.class));
            out.add(case_("flip in the length of chunk " + i, flip(s + 3), CorruptArchiveException.class));
            out.add(case_("flip in the ciphertext of chunk " + i, flip(s + 5 + 777), CorruptArchiveException.class));
            out.add(case_("flip in the tag of chunk " + i, flip(chunkEnd(i) - 1), CorruptArchiveException.class));
        }
        out.add(case_("chunks 0 and 1 swapped", swap(0, 1), CorruptArchiveException.class));
        out.add(case_("chunk 1 duplicated", duplicate(1), CorruptArchiveException.class));
        out.add(case_("chunk 1 removed", remove(1), CorruptArchiveException.class));
        out.add(case_("the last chunk removed", cut(chunkStart(n - 1)), CorruptArchiveException.class));
        out.add(case_("bytes after the end", concat(archive, new byte[] {0, 1, 2}), CorruptArchiveException.class));
        out.add(case_("a newer version", version(2), UnsupportedArchiveVersionException.class));
        out.add(Arguments.of(Named.of("a wrong passphrase",
                new Damage(archive, "not the passphrase".toCharArray(), WrongArchivePassphraseException.class))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void isRefusedAndChangesNothing(Damage damage) throws Exception {
        Path file = Files.write(dir.resolve("damaged.vouch"), damage.bytes());
        assertThatThrownBy(() -> ArchiveFiles.importInto(target, file, damage.passphrase(), TransferMonitor.NONE))
                .isInstanceOf(damage.expected());
        assertThat(SampleProfile.snapshot(target, ArchiveItem.Scope.FULL)).isEqualTo(targetBefore);

        Path fresh = dir.resolve("fresh");
        assertThatThrownBy(() -> ArchiveFiles.importAsNewProfile(fresh, "new".toCharArray(), FAST, file,
                damage.passphrase(), TransferMonitor.NONE, CLOCK)).isInstanceOf(damage.expected());
        assertThat(ProfileStore.exists(fresh)).isFalse();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".import-"));
        }
    }

    @Test
    void theIntactArchiveImportsAndWouldChangeTheTarget() throws Exception {
        Path file = Files.write(dir.resolve("intact.vouch"), archive);
        ProfileImporter.Result result = ArchiveFiles.importAsNewProfile(dir.resolve("copy"), "new".toCharArray(), FAST,
                file, PASSPHRASE, TransferMonitor.NONE, CLOCK);
        assertThat(result.messagesImported()).isEqualTo(3_000);
        try (ContentsReader reader = ArchiveFiles.open(file, PASSPHRASE, TransferMonitor.NONE)) {
            while (reader.next().isPresent()) {
                // read to the end
            }
            assertThat(reader.messages()).isEqualTo(3_000);
        }
    }

    private static Arguments case_(String name, byte[] bytes, Class<? extends ArchiveException> expected) {
        return Arguments.of(Named.of(name, new Damage(bytes, PASSPHRASE, expected)));
    }

    private byte[] cut(int length) {
        return Arrays.copyOf(archive, length);
    }

    private byte[] flip(int offset) {
        byte[] copy = archive.clone();
        copy[offset] ^= 0x01;
        return copy;
    }

    private byte[] version(int v) {
        byte[] copy = archive.clone();
        copy[8] = (byte) (v >>> 8);
        copy[9] = (byte) v;
        return copy;
    }

    private byte[] swap(int a, int b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(archive, 0, chunkStart(a));
        out.write(archive, chunkStart(b), chunkEnd(b) - chunkStart(b));
        out.write(archive, chunkStart(a), chunkEnd(a) - chunkStart(a));
        out.write(archive, chunkEnd(b), archive.length - chunkEnd(b));
        return out.toByteArray();
    }

    private byte[] duplicate(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(archive, 0, chunkEnd(i));
        out.write(archive, chunkStart(i), archive.length - chunkStart(i));
        return out.toByteArray();
    }

    private byte[] remove(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(archive, 0, chunkStart(i));
        out.write(archive, chunkEnd(i), archive.length - chunkEnd(i));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
