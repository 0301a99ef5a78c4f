package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.Main;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as separate processes, the way scripts run it: the profile from
 * {@code VOUCH_PROFILE} or {@code --profile} after the subcommand, the passphrase from
 * {@code VOUCH_PASSPHRASE}, the text from standard input, and {@code receive --follow} printing
 * messages as they arrive until it is stopped.
 */
class ProcessCliTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RelayProcess relay;

    @BeforeEach
    void startRelay() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
    }

    @AfterEach
    void stopRelay() throws Exception {
        relay.close();
    }

    private ChildJvm vouch(Map<String, String> environment, String... args) throws Exception {
        return ChildJvm.start(Main.class, List.of(args), List.of(), environment,
                dir.resolve("vouch-" + System.nanoTime() + ".err"));
    }

    private int run(Map<String, String> environment, String... args) throws Exception {
        try (ChildJvm child = vouch(environment, args)) {
            child.closeInput();
            int code = child.waitForExit(TIMEOUT);
            assertThat(code).as(String.join(" ", args) + child.stderrText()).isZero();
            return code;
        }
    }

    @Test
    void scriptsSendFromStandardInputAndFollowPrintsMessagesAsTheyArrive() throws Exception {
        Map<String, String> alice = Map.of("VOUCH_PROFILE", dir.resolve("alice").toString(),
                "VOUCH_PASSPHRASE", "alice secret");
        Map<String, String> bob = Map.of("VOUCH_PASSPHRASE", "bob secret");
        String bobProfile = dir.resolve("bob").toString();
        run(alice, "init", "--handle", "alice", "--relay", relay.invite());
        run(bob, "init", "--handle", "bob", "--relay", relay.invite(), "--profile", bobProfile);
        run(alice, "contacts", "add", "bob");

        try (ChildJvm follow = vouch(bob, "--profile", bobProfile, "receive", "--follow")) {
            try (ChildJvm send = vouch(alice, "send", "bob", "-")) {
                send.send("first line");
                send.send("second line");
                send.closeInput();
                assertThat(send.waitForExit(TIMEOUT)).as(send.stderrText()).isZero();
            }
            assertThat(follow.next(TIMEOUT)).endsWith("alice: first line");
            assertThat(follow.next(TIMEOUT)).isEqualTo("    second line");

            run(alice, "send", "bob", "two");
            run(alice, "send", "bob", "three");
            assertThat(follow.next(TIMEOUT)).endsWith("alice: two");
            assertThat(follow.next(TIMEOUT)).endsWith("alice: three");
            follow.terminate();
        }
        try (ChildJvm again = vouch(bob, "receive", "--profile", bobProfile)) {
            again.closeInput();
            assertThat(again.waitForExit(TIMEOUT)).isZero();
            assertThat(again.drain(TIMEOUT)).as("follow marked what it printed as read").isEmpty();
        }
    }

    @Test
    void withoutAPassphraseSourceAndNoTerminalTheCommandSaysSoAndExitsWithThree() throws Exception {
        Map<String, String> noPassphrase = new java.util.HashMap<>();
        noPassphrase.put("VOUCH_PASSPHRASE", null);
        try (ChildJvm child = vouch(noPassphrase, "init", "--handle", "carol", "--relay", relay.invite(),
                "--profile", dir.resolve("carol").toString())) {
            child.closeInput();
            assertThat(child.waitForExit(TIMEOUT)).isEqualTo(3);
            assertThat(child.stderrText()).contains("no passphrase").doesNotContain("Exception");
        }
    }
    @Test
    void archivesTakeTheirPassphraseFromTheEnvironmentAndAnImportCreatesTheProfile() throws Exception {
        Map<String, String> alice = Map.of("VOUCH_PROFILE", dir.resolve("alice").toString(),
                "VOUCH_PASSPHRASE", "alice secret", "VOUCH_ARCHIVE_PASSPHRASE", "archive secret");
        run(alice, "init", "--handle", "alice", "--relay", relay.invite());
        Path archive = dir.resolve("alice.vouch");
        run(alice, "export", "--out", archive.toString());
        assertThat(archive).exists();

        // A new machine: another folder, another store passphrase, the same archive passphrase.
        Map<String, String> moved = Map.of("VOUCH_PROFILE", dir.resolve("moved").toString(),
                "VOUCH_PASSPHRASE", "new store secret", "VOUCH_ARCHIVE_PASSPHRASE", "archive secret");
        run(moved, "import", archive.toString());
        try (ChildJvm profile = vouch(moved, "contacts", "--json")) {
            profile.closeInput();
            assertThat(profile.waitForExit(TIMEOUT)).as(profile.stderrText()).isZero();
        }
        Map<String, String> wrong = Map.of("VOUCH_ARCHIVE_PASSPHRASE", "not it");
        try (ChildJvm show = vouch(wrong, "archive", "show", archive.toString())) {
            show.closeInput();
            assertThat(show.waitForExit(TIMEOUT)).as(show.stderrText()).isEqualTo(dev.vouch.cli.ExitCode.PASSPHRASE);
        }
    }
}
