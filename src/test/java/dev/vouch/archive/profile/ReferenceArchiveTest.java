package dev.vouch.archive.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference archive in {@code src/test/resources/archive/}: made once by Vouch from a small
 * profile and checked in with its passphrase and a listing of every record, so that every later
 * version of Vouch (and any other implementation) can prove it reads format version 1 as written.
 * Regenerate only on a deliberate format change:
 * {@code mvn -B test -Dtest=ReferenceArchiveTest -Dvouch.archive.regenerate=src/test/resources/archive}.
 */
class ReferenceArchiveTest {
    static final String PASSPHRASE = "vouch reference archive v1";
    /** Cheap to open in tests; readers must accept any parameters within the documented bounds. */
    static final Argon2id.Params PARAMS = new Argon2id.Params(1024, 1, 1);

    @TempDir
    Path dir;

    private static Path resource(String name) {
        return Paths.get("src/test/resources/archive").resolve(name);
    }

    @Test
    void readsRecordForRecordAsListed() throws Exception {
        String regenerate = System.getProperty("vouch.archive.regenerate");
        if (regenerate != null) {
            generate(Path.of(regenerate));
        }
        List<String> expected = Files.readAllLines(resource("reference-v1.listing"), StandardCharsets.UTF_8);
        assertThat(Files.readString(resource("reference-v1.passphrase")).strip()).isEqualTo(PASSPHRASE);
        assertThat(listing(resource("reference-v1.vouch"))).containsExactlyElementsOf(expected);
    }

    @Test
    void importsIntoANewProfileWithItsHistory() throws Exception {
        ProfileImporter.Result result = ArchiveFiles.importAsNewProfile(dir.resolve("restored"), "new".toCharArray(),
                SampleProfile.FAST, resource("reference-v1.vouch"), PASSPHRASE.toCharArray(), TransferMonitor.NONE,
                SampleProfile.CLOCK);
        assertThat(result.header().handle()).isEqualTo("ada");
        assertThat(result.accountRestored()).isTrue();
        try (ProfileStore restored = ProfileStore.open(dir.resolve("restored"), SampleProfile.CLOCK)) {
            restored.unlock("new".toCharArray());
            long messages = listing(resource("reference-v1.vouch")).stream().filter(l -> l.startsWith("message ")).count();
            assertThat(restored.conversations().list().stream().mapToLong(c -> c.messageCount()).sum()).isEqualTo(messages);
            assertThat(restored.contacts().list()).extracting(c -> c.handle() + " " + c.verification())
                    .containsExactly("bob VERIFIED", "carol UNVERIFIED", "dave CHANGED_AFTER_VERIFIED");
        }
    }

    /** Every record of the archive as one line, every byte in hex: the form the listing file holds. */
    static List<String> listing(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (ContentsReader reader = ArchiveFiles.open(file, PASSPHRASE.toCharArray(), TransferMonitor.NONE)) {
            ArchiveItem.Header h = reader.header();
            lines.add("header version=" + h.contentsVersion() + " scope=" + h.scope() + " created=" + h.createdAt()
                    + " handle=" + h.handle() + " device=" + h.deviceId() + " producer=" + h.producer());
            Optional<ArchiveItem> next;
            while ((next = reader.next()).isPresent()) {
                lines.add(line(next.get()));
            }
            lines.add("end records=" + reader.records() + " messages=" + reader.messages());
        }
        return lines;
    }

    private static String line(ArchiveItem item) {
        HexFormat hex = HexFormat.of();
        if (item instanceof ArchiveItem.Setting s) {
            return "setting " + s.name() + "=" + s.value();
        } else if (item instanceof ArchiveItem.Identity i) {
            return "identity account=" + hex.formatHex(i.accountIdentity()) + " device=" + hex.formatHex(i.deviceIdentity());
        } else if (item instanceof ArchiveItem.Contact c) {
            return "contact " + c.handle() + " name=" + c.displayName() + " " + c.verification() + " key="
                    + c.accountKey().map(hex::formatHex).orElse("-") + " added=" + c.addedAt() + " profileKey="
                    + c.profileKey().map(hex::formatHex).orElse("-");
        } else if (item instanceof ArchiveItem.KeyHistory k) {
            return "key-history " + k.handle() + " " + k.at() + " " + k.type() + " " + k.detail();
        } else if (item instanceof ArchiveItem.Device d) {
            return "device " + d.handle() + "." + d.deviceId() + " " + hex.formatHex(d.identityKey());
        } else if (item instanceof ArchiveItem.Session s) {
            return "session " + s.handle() + "." + s.deviceId() + " " + hex.formatHex(s.record());
        } else if (item instanceof ArchiveItem.PreKey p) {
            return "prekey kind=" + p.kind() + " id=" + Integer.toUnsignedString(p.keyId()) + " " + hex.formatHex(p.record());
        } else if (item instanceof ArchiveItem.Conversation c) {
            return "conversation " + c.peer();
        } else if (item instanceof ArchiveItem.Message m) {
            return "message " + m.peer() + " uid=" + hex.formatHex(m.uid()) + " " + m.status() + " body="
                    + hex.formatHex(m.body());
        }
        throw new IllegalArgumentException("unlisted record " + item);
    }

    /** Writes a new reference archive, its passphrase and its listing into {@code folder}. */
    private void generate(Path folder) throws Exception {
        Files.createDirectories(folder);
        try (ProfileStore store = SampleProfile.create(dir.resolve("reference"), "ada", 9, 2026)) {
            store.contacts().update(store.contacts().find("carol").orElseThrow().withDisplayName("Carol Ünicode ✓"));
            Path file = folder.resolve("reference-v1.vouch");
            ArchiveFiles.export(store, ArchiveItem.Scope.FULL, file, PASSPHRASE.toCharArray(), PARAMS, true,
                    TransferMonitor.NONE, SampleProfile.CLOCK);
            Files.writeString(folder.resolve("reference-v1.passphrase"), PASSPHRASE + "\n");
            Files.write(folder.resolve("reference-v1.listing"), listing(file), StandardCharsets.UTF_8);
        }
    }
}
