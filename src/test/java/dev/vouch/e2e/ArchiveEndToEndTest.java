package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vouch.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive as a person uses it, through the command line with a real relay process: alice
 * talks with bob and carol, verifies bob, exports, and moves her account to a new folder (a new
 * machine), where everything is as it was and she goes on messaging; a history-only archive reads
 * anywhere and merges without duplicates; bad archives and passphrases are refused with their
 * exit codes and change nothing.
 */
class ArchiveEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RelayProcess relay;
    private Cli alice;
    private Cli bob;
    private Cli carol;
    private Path archivePassphrase;

    @BeforeEach
    void aliceTalksWithBobAndCarol() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = new Cli(dir.resolve("alice"), "alice passphrase");
        bob = new Cli(dir.resolve("bob"), "bob passphrase");
        carol = new Cli(dir.resolve("carol"), "carol passphrase");
        for (Cli who : List.of(alice, bob, carol)) {
            String handle = who.profile().getFileName().toString();
            ok(who.run("init", "--handle", handle, "--relay", relay.invite()));
        }
        archivePassphrase = Files.writeString(dir.resolve("archive.pass"), "correct horse battery staple\n");
        ok(alice.run("contacts", "add", "bob"));
        ok(alice.run("contacts", "add", "carol"));
        for (int i = 1; i <= 5; i++) {
            ok(alice.run("send", "bob", "to bob " + i));
        }
        ok(alice.run("send", "carol", "hello carol\nsecond line"));
        ok(bob.run("receive"));
        ok(bob.run("send", "alice", "hi alice, bob here"));
        ok(carol.run("receive"));
        ok(alice.run("receive"));
        // Alice verifies bob by his digits; carol stays trusted on first use.
        List<String> digits = bob.run("safety-number", "alice").lines().subList(0, 3);
        ok(alice.run("verify", "bob", "--digits", String.join("", digits)));
    }

    @AfterEach
    void stopRelay() throws Exception {
        relay.close();
    }

    @Test
    void aFullArchiveMovesTheAccountWithEverythingAndItGoesOnMessaging() throws Exception {
        Path archive = dir.resolve("alice.vouch");
        Cli.Result export = alice.run("export", "--out", archive.toString(),
                "--archive-passphrase-file", archivePassphrase.toString());
        ok(export);
        assertThat(export.out()).contains("messages:    7");
        assertThat(export.err()).contains("holds the private keys of alice");
        assertThat(siblings(archive)).as("no temporary file is left beside the archive").containsExactly(archive);

        Cli moved = new Cli(dir.resolve("new-machine"), "a new store passphrase");
        Cli.Result imported = moved.run("import", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString(), "--json");
        ok(imported);
        JsonNode result = JSON.readTree(imported.out());
        assertThat(result.get("accountRestored").asBoolean()).isTrue();
        assertThat(result.get("messagesImported").asLong()).isEqualTo(7);
        assertThat(result.get("contactsAdded").asInt()).isEqualTo(2);

        for (String[] query : List.of(new String[] {"history", "bob", "--json"}, new String[] {"history", "carol", "--json"},
                new String[] {"contacts", "--json"}, new String[] {"keys", "bob", "--json"},
                new String[] {"keys", "carol", "--json"}, new String[] {"log", "status", "--offline", "--json"})) {
            assertThat(json(moved.run(query))).as(String.join(" ", query)).isEqualTo(json(alice.run(query)));
        }
        assertThat(json(moved.run("contacts", "--json")).toString()).contains("\"verified\"");

        // The new installation is alice: bob gets her next message, and hers from him.
        ok(moved.run("send", "bob", "from the new machine"));
        assertThat(bob.run("receive").lines()).singleElement().asString().endsWith("alice: from the new machine");
        ok(bob.run("send", "alice", "welcome back"));
        assertThat(moved.run("receive").lines()).singleElement().asString().endsWith("bob: welcome back");
    }

    @Test
    void aHistoryOnlyArchiveReadsAnywhereAndMergesWithoutDuplicates() throws Exception {
        Path archive = dir.resolve("history.vouch");
        Cli.Result export = alice.run("export", "--out", archive.toString(), "--history-only",
                "--archive-passphrase-file", archivePassphrase.toString());
        ok(export);
        assertThat(export.out()).contains("history only");

        Cli stranger = new Cli(dir.resolve("nobody"), "unused");
        Cli.Result show = stranger.run("archive", "show", archive.toString(), "--archive-passphrase-file",
                archivePassphrase.toString(), "--json");
        ok(show);
        JsonNode summary = JSON.readTree(show.out());
        assertThat(summary.get("account").asText()).isEqualTo("alice");
        assertThat(summary.get("scope").asText()).isEqualTo("history-only");
        assertThat(summary.get("messages").asLong()).isEqualTo(7);
        assertThat(summary.get("contacts").findValuesAsText("state")).containsExactly("verified", "unverified");
        Cli.Result conversation = stranger.run("archive", "show", archive.toString(), "--conversation", "bob",
                "--archive-passphrase-file", archivePassphrase.toString());
        ok(conversation);
        assertThat(conversation.lines()).containsExactlyElementsOf(alice.run("history", "bob").lines());
        assertThat(Files.exists(stranger.profile())).as("reading an archive makes no profile").isFalse();

        Cli.Result refused = stranger.run("import", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCode.ARCHIVE);
        assertThat(refused.err()).contains("history-only");
        assertThat(stranger.profile().resolve("vouch.db")).doesNotExist();

        String before = alice.run("history", "bob", "--json").out();
        Cli.Result merged = alice.run("import", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString(), "--json");
        ok(merged);
        assertThat(JSON.readTree(merged.out()).get("messagesImported").asLong()).isZero();
        assertThat(JSON.readTree(merged.out()).get("messagesAlreadyPresent").asLong()).isEqualTo(7);
        assertThat(alice.run("history", "bob", "--json").out()).isEqualTo(before);

        Cli.Result otherAccount = bob.run("import", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString());
        assertThat(otherAccount.code()).isEqualTo(ExitCode.ARCHIVE);
        assertThat(otherAccount.err()).contains("belongs to bob");
    }

    @Test
    void badArchivesAndPassphrasesAreRefusedWithTheirExitCodes() throws Exception {
        Path archive = dir.resolve("a.vouch");
        ok(alice.run("export", "--out", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString()));
        byte[] exported = Files.readAllBytes(archive);

        Cli.Result again = alice.run("export", "--out", archive.toString(), "--archive-passphrase-file", archivePassphrase.toString());
        assertThat(again.code()).isEqualTo(ExitCode.USAGE);
        assertThat(Files.readAllBytes(archive)).as("an existing file is never overwritten without --force").isEqualTo(exported);

        Path wrong = Files.writeString(dir.resolve("wrong.pass"), "not the passphrase\n");
        Cli fresh = new Cli(dir.resolve("fresh"), "store passphrase");
        Cli.Result wrongPassphrase = fresh.run("import", archive.toString(), "--archive-passphrase-file", wrong.toString());
        assertThat(wrongPassphrase.code()).as(wrongPassphrase.toString()).isEqualTo(ExitCode.PASSPHRASE);
        assertThat(fresh.profile().resolve("vouch.db")).doesNotExist();

        Path notAnArchive = alice.passphraseFile();
        Cli.Result notOne = fresh.run("archive", "show", notAnArchive.toString(), "--archive-passphrase-file", archivePassphrase.toString());
        assertThat(notOne.code()).isEqualTo(ExitCode.ARCHIVE);
        assertThat(notOne.err()).contains("not a Vouch archive");

        Path cut = dir.resolve("cut.vouch");
        Files.write(cut, java.util.Arrays.copyOf(exported, exported.length - 7));
        Cli.Result truncated = fresh.run("import", cut.toString(), "--archive-passphrase-file", archivePassphrase.toString());
        assertThat(truncated.code()).as(truncated.toString()).isEqualTo(ExitCode.ARCHIVE);
        assertThat(truncated.err()).contains("chunk");
        assertThat(fresh.profile().resolve("vouch.db")).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".import-"));
        }
    }

    private static List<Path> siblings(Path file) throws Exception {
        try (Stream<Path> list = Files.list(file.getParent())) {
            return list.filter(p -> p.getFileName().toString().contains(file.getFileName().toString())).toList();
        }
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        ok(result);
        return JSON.readTree(result.out());
    }

    private static void ok(Cli.Result result) {
        assertThat(result.code()).as(result.toString()).isZero();
    }
}
