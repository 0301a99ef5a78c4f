package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.atrest.SensitiveProfileWriter;
import dev.vouch.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRODUCT.md T7: a stolen disk shows no message text, contact name or handle, setting, passphrase
 * or private key. A child JVM with its own temp folder (java.io.tmpdir, TMPDIR and SQLITE_TMPDIR
 * all pointing at it) fills a profile, part of it through a real protocol session; every file in
 * the profile folder and the temp folder is then searched for each string as UTF-8, UTF-16LE and
 * UTF-16BE, and for each private key, twice: while the store is open with its WAL and shared-memory
 * files not yet checkpointed, and after it closed. A control shows the same search finds the same
 * strings when SQLite stores them in plaintext, in pages and in WAL frames, in each encoding.
 */
class NoPlaintextAtRestTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Charset> ENCODINGS =
            List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE);

    @TempDir
    Path root;

    @Test
    void noSensitiveStringOrKeyReachesTheDiskWhileOpenOrAfterClose() throws Exception {
        Path profile = root.resolve("profile");
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        Map<String, byte[]> needles = stringNeedles(SensitiveProfileWriter.sensitiveStrings());
        Path canary;

        try (ChildJvm child = ChildJvm.start(SensitiveProfileWriter.class, List.of(profile.toString(), token),
                List.of("-Djava.io.tmpdir=" + tmp), Map.of("TMPDIR", tmp.toString(), "SQLITE_TMPDIR", tmp.toString()),
                root.resolve("child-stderr.txt"))) {
            canary = null;
            int tempStore = -1;
            while (true) {
                String line = child.next(CHILD_TIMEOUT);
                if (line.equals("OPEN")) {
                    break;
                } else if (line.startsWith("CANARY ")) {
                    canary = Path.of(line.substring(7));
                } else if (line.startsWith("SECRET ")) {
                    String[] parts = line.split(" ");
                    needles.put("private key " + parts[1], HexFormat.of().parseHex(parts[2]));
                } else if (line.startsWith("TEMP_STORE ")) {
                    tempStore = Integer.parseInt(line.substring(11));
                } else {
                    throw new AssertionError("unexpected line from the writer: " + line + child.stderrText());
                }
            }
            assertThat(needles.keySet()).filteredOn(k -> k.startsWith("private key")).hasSize(5);
            // SQLite keeps temporary tables, indexes and sort runs in memory, never in a temp file.
            assertThat(tempStore).as("PRAGMA temp_store (2 = MEMORY)").isEqualTo(2);
            assertThat(canary).as("the child's temp folder is the one searched").isNotNull().startsWith(tmp);

            // (1) Open, before any checkpoint: the WAL holds the latest pages.
            Path db = profile.resolve(ProfileStore.DATABASE_FILE);
            assertThat(Files.size(Path.of(db + "-wal"))).as("WAL has frames").isGreaterThan(32);
            assertThat(Path.of(db + "-shm")).exists();
            Scan open = Scan.of(needles, profile, tmp);
            open.addOpenFilesOf(child.pid(), needles);
            assertThat(open.files).contains(db, Path.of(db + "-wal"), Path.of(db + "-shm"), canary);
            assertThat(open.findings).as("sensitive bytes on disk while the store is open").isEmpty();
            assertThat(Scan.of(stringNeedles(List.of(token)), tmp).findings)
                    .as("control: the canary the child wrote to its temp folder is found").isNotEmpty();
            System.out.println("[at rest] open: searched " + open.files.size() + " files, " + open.bytes + " bytes for "
                    + needles.size() + " patterns");

            child.send("CLOSE");
            child.expect("CLOSED", CHILD_TIMEOUT);
            assertThat(child.waitForExit(CHILD_TIMEOUT)).as("writer exit code" + child.stderrText()).isZero();
        }

        // (2) Closed: the WAL was checkpointed into the database file.
        Scan closed = Scan.of(needles, profile, tmp);
        assertThat(closed.files).contains(profile.resolve(ProfileStore.DATABASE_FILE));
        assertThat(closed.findings).as("sensitive bytes on disk after close").isEmpty();
        System.out.println("[at rest] closed: searched " + closed.files.size() + " files, " + closed.bytes + " bytes");
    }

    /**
     * The control: the very same search finds the strings when SQLite stores them as plain TEXT (in
     * each of its three text encodings) and the keys as plain BLOBs, both in WAL frames before a
     * checkpoint and in database pages after it. Without this the test above could pass by
     * searching wrongly.
     */
    @Test
    void theSearchFindsPlaintextInSqlitePagesAndWalFrames() throws Exception {
        List<String> strings = SensitiveProfileWriter.sensitiveStrings();
        byte[] key = new SecureRandom().generateSeed(32);
        Map<String, String> encodings = Map.of("UTF-8", "UTF-8", "UTF-16le", "UTF-16LE", "UTF-16be", "UTF-16BE");
        for (Map.Entry<String, String> encoding : encodings.entrySet()) {
            Path folder = Files.createDirectories(root.resolve("control-" + encoding.getKey()));
            Path db = folder.resolve("plain.db");
            Map<String, byte[]> needles = stringNeedles(strings);
            needles.put("private key", key);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA encoding = '" + encoding.getKey() + "'");
                    st.execute("PRAGMA journal_mode = WAL");
                    st.execute("PRAGMA wal_autocheckpoint = 0");
                    st.execute("CREATE TABLE scratch (text TEXT, data BLOB)");
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO scratch VALUES (?, ?)")) {
                    for (String s : strings) {
                        st.setString(1, s);
                        st.setBytes(2, key);
                        st.executeUpdate();
                    }
                }
                Scan inWal = Scan.of(needles, folder);
                assertThat(Path.of(db + "-wal")).exists();
                assertThat(inWal.findings).as("found in the WAL, encoding " + encoding.getKey())
                        .anyMatch(f -> f.contains("plain.db-wal"));
                assertThat(labelsFound(inWal)).as("every string and the key found, encoding " + encoding.getKey())
                        .containsAll(expectedLabels(strings, encoding.getValue()))
                        .contains("private key");
            }
            Scan inPages = Scan.of(needles, folder);
            assertThat(inPages.files).containsExactly(db);
            assertThat(labelsFound(inPages)).as("found in database pages, encoding " + encoding.getKey())
                    .containsAll(expectedLabels(strings, encoding.getValue())).contains("private key");
        }
    }

    private static List<String> expectedLabels(List<String> strings, String charset) {
        return strings.stream().map(s -> label(s, Charset.forName(charset))).toList();
    }

    private static List<String> labelsFound(Scan scan) {
        return scan.findings.stream().map(f -> f.substring(0, f.indexOf(" in "))).distinct().toList();
    }

    private static String label(String s, Charset charset) {
        return "\"" + s + "\" as " + charset.name();
    }

    private static Map<String, byte[]> stringNeedles(List<String> strings) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String s : strings) {
            for (Charset charset : ENCODINGS) {
                out.put(label(s, charset), s.getBytes(charset));
            }
        }
        return out;
    }

    /** One search over files: what was read and what was found where. */
    private static final class Scan {
        final List<Path> files = new ArrayList<>();
        final List<String> findings = new ArrayList<>();
        long bytes;

        static Scan of(Map<String, byte[]> needles, Path... folders) throws IOException {
            Scan scan = new Scan();
            for (Path folder : folders) {
                List<Path> regular;
                try (Stream<Path> walk = Files.walk(folder)) {
                    regular = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : regular) {
                    byte[] content;
                    try {
                        content = Files.readAllBytes(file);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue; // removed between listing and reading (e.g. a journal that closed)
                    }
                    scan.search(needles, file.toString(), content);
                    scan.files.add(file);
                }
            }
            return scan;
        }

        /**
         * On Linux, also reads the files the child holds open that no longer have a name (SQLite
         * unlinks its temp files right after creating them, so a folder listing cannot see them).
         * This is a snapshot only; what rules such files out is {@code temp_store=MEMORY}, checked above.
         */
        void addOpenFilesOf(long pid, Map<String, byte[]> needles) throws IOException {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            if (!Files.isDirectory(fds)) {
                return;
            }
            List<Path> links;
            try (Stream<Path> list = Files.list(fds)) {
                links = list.toList();
            }
            for (Path link : links) {
                String target;
                try {
                    target = Files.readSymbolicLink(link).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (target.endsWith(" (deleted)")) {
                    byte[] content = Files.readAllBytes(link);
                    search(needles, "unlinked open file " + target, content);
                }
            }
        }

        private void search(Map<String, byte[]> needles, String where, byte[] content) {
            bytes += content.length;
            for (Map.Entry<String, byte[]> needle : needles.entrySet()) {
                int at = indexOf(content, needle.getValue());
                if (at >= 0) {
                    findings.add(needle.getKey() + " in " + where + " at offset " + at);
                }
            }
        }

        static int indexOf(byte[] haystack, byte[] needle) {
            byte first = needle[0];
            int last = haystack.length - needle.length;
            outer:
            for (int i = 0; i <= last; i++) {
                if (haystack[i] != first) {
                    continue;
                }
                for (int j = 1; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
