package dev.vouch.archive.profile;

import static dev.vouch.archive.profile.SampleProfile.CLOCK;
import static dev.vouch.archive.profile.SampleProfile.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.ProfileStore;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import at the file level on real profiles: a full archive recreates the profile item
 * for item, a history-only one carries no private key and merges without duplicates, and a full
 * disk or a cancellation leaves neither a file nor a change behind.
 */
class ArchiveTransferTest {
    private static final char[] PASSPHRASE = "archive passphrase".toCharArray();

    @TempDir
    Path dir;

    private ProfileStore source;

    @BeforeEach
    void sampleProfile() throws Exception {
        source = SampleProfile.create(dir.resolve("source"), "ada", 2_500, 1);
    }

    @AfterEach
    void close() {
        source.close();
    }

    private Path export(ArchiveItem.Scope scope, String name) throws Exception {
        Path file = dir.resolve(name);
        ArchiveFiles.export(source, scope, file, PASSPHRASE, FAST, false, TransferMonitor.NONE, CLOCK);
        return file;
    }

    @Test
    void aFullArchiveRecreatesTheProfileItemForItem() throws Exception {
        Path file = export(ArchiveItem.Scope.FULL, "full.vouch");
        List<Long> progress = new ArrayList<>();
        ProfileImporter.Result result = ArchiveFiles.importAsNewProfile(dir.resolve("target"), "new".toCharArray(), FAST,
                file, PASSPHRASE, new TransferMonitor() {
                    @Override
                    public void progress(long done, long total) {
                        progress.add(done);
                        assertThat(total).isEqualTo(file.toFile().length());
                    }
                }, CLOCK);
        assertThat(result.accountRestored()).isTrue();
        assertThat(result.messagesImported()).isEqualTo(2_500);
        assertThat(progress).isSorted().contains(0L, file.toFile().length());
        assertThat(Files.getPosixFilePermissions(dir.resolve("target"))).as("the new profile folder is owner-only")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
        try (ProfileStore target = ProfileStore.open(dir.resolve("target"), CLOCK)) {
            target.unlock("new".toCharArray());
            assertThat(SampleProfile.snapshot(target, ArchiveItem.Scope.FULL))
                    .isEqualTo(SampleProfile.snapshot(source, ArchiveItem.Scope.FULL));
            assertThat(target.conversations().list()).extracting(c -> c.peer() + " " + c.messageCount() + " " + c.unread())
                    .containsExactlyElementsOf(source.conversations().list().stream()
                            .map(c -> c.peer() + " " + c.messageCount() + " " + c.unread()).toList());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void aHistoryOnlyArchiveCarriesNoPrivateKeyAndMergesWithoutDuplicates() throws Exception {
        Path file = export(ArchiveItem.Scope.HISTORY_ONLY, "history.vouch");
        try (ContentsReader reader = ArchiveFiles.open(file, PASSPHRASE, TransferMonitor.NONE)) {
            assertThat(reader.header().scope()).isEqualTo(ArchiveItem.Scope.HISTORY_ONLY);
            Optional<ArchiveItem> item;
            while ((item = reader.next()).isPresent()) {
                assertThat(item.get()).isNotInstanceOfAny(ArchiveItem.Identity.class, ArchiveItem.PreKey.class,
                        ArchiveItem.Session.class);
                if (item.get() instanceof ArchiveItem.Setting s) {
                    assertThat(s.name()).doesNotStartWith("account.").doesNotStartWith("prekeys.");
                }
                if (item.get() instanceof ArchiveItem.Contact c) {
                    assertThat(c.profileKey()).isEmpty();
                }
            }
        }
        // Into a fresh profile it is refused (it carries no account) and leaves no profile.
        assertThatThrownBy(() -> ArchiveFiles.importAsNewProfile(dir.resolve("fresh"), "new".toCharArray(), FAST, file,
                PASSPHRASE, TransferMonitor.NONE, CLOCK)).isInstanceOf(ImportRefusedException.class);
        assertThat(ProfileStore.exists(dir.resolve("fresh"))).isFalse();

        // Into the account's own profile it merges: nothing is new, and the profile is unchanged.
        byte[] before = SampleProfile.snapshot(source, ArchiveItem.Scope.FULL);
        ProfileImporter.Result again = ArchiveFiles.importInto(source, file, PASSPHRASE, TransferMonitor.NONE);
        assertThat(again.messagesImported()).isZero();
        assertThat(again.messagesAlreadyPresent()).isEqualTo(2_500);
        assertThat(again.contactsAdded()).isZero();
        assertThat(again.keyEventsAdded()).isZero();
        assertThat(SampleProfile.snapshot(source, ArchiveItem.Scope.FULL)).isEqualTo(before);
    }

    @Test
    void aMergeAddsOnlyWhatIsNew() throws Exception {
        Path first = export(ArchiveItem.Scope.FULL, "first.vouch");
        ArchiveFiles.importAsNewProfile(dir.resolve("laptop"), "new".toCharArray(), FAST, first, PASSPHRASE,
                TransferMonitor.NONE, CLOCK);
        SampleProfile.fill(source, "ada", 300, 2);
        Path second = export(ArchiveItem.Scope.HISTORY_ONLY, "second.vouch");
        try (ProfileStore laptop = ProfileStore.open(dir.resolve("laptop"), CLOCK)) {
            laptop.unlock("new".toCharArray());
            ProfileImporter.Result merged = ArchiveFiles.importInto(laptop, second, PASSPHRASE, TransferMonitor.NONE);
            assertThat(merged.messagesImported()).isEqualTo(300);
            assertThat(merged.messagesAlreadyPresent()).isEqualTo(2_500);
            assertThat(laptop.conversations().list().stream().mapToLong(c -> c.messageCount()).sum()).isEqualTo(2_800);
        }
    }

    @Test
    void aDiskThatFillsUpLeavesNoArchiveBehind() throws Exception {
        Path file = dir.resolve("full-disk.vouch");
        assertThatThrownBy(() -> ArchiveFiles.export(source, ArchiveItem.Scope.FULL, file, PASSPHRASE, FAST, false,
                TransferMonitor.NONE, CLOCK, out -> new FullAfter(out, 100_000)))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThat(file).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        // An existing archive under the name survives a failed replacement untouched.
        Path kept = export(ArchiveItem.Scope.FULL, "kept.vouch");
        byte[] original = Files.readAllBytes(kept);
        assertThatThrownBy(() -> ArchiveFiles.export(source, ArchiveItem.Scope.FULL, kept, PASSPHRASE, FAST, true,
                TransferMonitor.NONE, CLOCK, out -> new FullAfter(out, 200_000))).isInstanceOf(IOException.class);
        assertThat(Files.readAllBytes(kept)).isEqualTo(original);
    }

    @Test
    void cancellingAnExportOrAnImportLeavesNothing() throws Exception {
        Path file = dir.resolve("cancelled.vouch");
        assertThatThrownBy(() -> ArchiveFiles.export(source, ArchiveItem.Scope.FULL, file, PASSPHRASE, FAST, false,
                cancelAfter(1_000), CLOCK)).isInstanceOf(TransferCancelledException.class);
        assertThat(file).doesNotExist();

        Path archive = export(ArchiveItem.Scope.HISTORY_ONLY, "history.vouch");
        try (ProfileStore other = SampleProfile.create(dir.resolve("other"), "ada", 10, 3)) {
            byte[] before = SampleProfile.snapshot(other, ArchiveItem.Scope.FULL);
            assertThatThrownBy(() -> ArchiveFiles.importInto(other, archive, PASSPHRASE, cancelAfter(200_000)))
                    .isInstanceOf(TransferCancelledException.class);
            assertThat(SampleProfile.snapshot(other, ArchiveItem.Scope.FULL)).isEqualTo(before);
        }
    }

    @Test
    void theContentsRulesAreChecked() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ContentsWriter writer = new ContentsWriter(out);
        writer.write(new ArchiveItem.Header(1, ArchiveItem.Scope.HISTORY_ONLY, CLOCK.instant(), "ada", 1, "test"));
        writer.write(new ArchiveItem.Identity(new byte[] {1}, new byte[] {2}));
        writer.end();
        ContentsReader secretInHistory = new ContentsReader(new ByteArrayInputStream(out.toByteArray()));
        secretInHistory.header();
        assertThatThrownBy(secretInHistory::next).isInstanceOf(MalformedContentsException.class)
                .hasMessageContaining("history-only archive carries a private key");

        byte[] bytes = SampleProfile.snapshot(source, ArchiveItem.Scope.FULL);
        ContentsReader cut = new ContentsReader(new ByteArrayInputStream(java.util.Arrays.copyOf(bytes, bytes.length - 21)));
        assertThatThrownBy(() -> {
            while (cut.next().isPresent()) {
                // read to the end
            }
        }).isInstanceOf(MalformedContentsException.class).hasMessageContaining("end");
    }

    private static TransferMonitor cancelAfter(long units) {
        return new TransferMonitor() {
            private long seen;

            @Override
            public void progress(long done, long total) {
                seen = done;
            }

            @Override
            public boolean cancelled() {
                return seen >= units;
            }
        };
    }

    /** A file system with {@code room} bytes free. */
    private static final class FullAfter extends FilterOutputStream {
        private long room;

        FullAfter(OutputStream out, long room) {
            super(out);
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) {
                out.write(b, off, (int) room);
                room = 0;
                throw new IOException("No space left on device");
            }
            room -= len;
            out.write(b, off, len);
        }
    }
}
