package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender is killed with SIGKILL right after {@code send} returns, online or offline, or in the
 * middle of a burst; after it restarts, every message it stored reaches the recipient exactly
 * once and in order.
 */
class SenderCrashTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RelayProcess relay;
    private Cli alice;
    private Cli bob;

    @BeforeEach
    void setUp() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = Cli.registered(dir.resolve("alice"), "alice", "alice passphrase", relay.invite());
        bob = Cli.registered(dir.resolve("bob"), "bob", "bob passphrase", relay.invite());
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        relay.close();
    }

    private ChildJvm sender(int count, String prefix) throws Exception {
        return ChildJvm.start(SendAndHang.class, List.of(alice.profile().toString(), alice.passphraseFile().toString(),
                "bob", Integer.toString(count), prefix), List.of(), Map.of(), dir.resolve("sender-" + prefix + ".err"));
    }

    /** Reads the sender's lines until {@code RETURNED n ...}; returns that line. */
    private static String awaitReturned(ChildJvm child, int n) throws Exception {
        while (true) {
            String line = child.next(TIMEOUT);
            assertThat(line).as(child.stderrText()).isNotEqualTo(ChildJvm.EOF);
            if (line.startsWith("RETURNED " + n + " ")) {
                return line;
            }
        }
    }

    private List<String> bobReceives() {
        Cli.Result received = bob.run("receive");
        assertThat(received.code()).as(received.toString()).isZero();
        return received.lines().stream().map(l -> l.substring(l.indexOf("alice: ") + "alice: ".length())).toList();
    }

    @Test
    void killedRightAfterAnOnlineSendReturnsTheMessageArrivesOnce() throws Exception {
        try (ChildJvm child = sender(1, "online ")) {
            assertThat(awaitReturned(child, 1)).isEqualTo("RETURNED 1 SENT");
            child.kill();
        }
        assertThat(alice.run("receive").code()).isZero();
        assertThat(bobReceives()).containsExactly("online 1");
        assertThat(alice.run("receive").code()).isZero();
        assertThat(bobReceives()).isEmpty();
    }

    @Test
    void killedRightAfterAnOfflineSendReturnsTheMessageGoesOutOnceAfterRestart() throws Exception {
        relay.kill();
        try (ChildJvm child = sender(1, "offline ")) {
            assertThat(awaitReturned(child, 1)).isEqualTo("RETURNED 1 QUEUED");
            child.kill();
        }
        relay.start();
        Cli.Result restarted = alice.run("receive");
        assertThat(restarted.code()).as(restarted.toString()).isZero();
        assertThat(bobReceives()).containsExactly("offline 1");
        assertThat(alice.run("receive").code()).isZero();
        assertThat(bobReceives()).isEmpty();
        assertThat(alice.run("history", "bob").lines()).singleElement().asString().endsWith("[delivered]");
    }

    @Test
    void killedInTheMiddleOfABurstEveryStoredMessageArrivesOnceInOrder() throws Exception {
        int returned;
        try (ChildJvm child = sender(60, "burst ")) {
            awaitReturned(child, 10);
            child.kill();
            returned = 10 + (int) child.drain(Duration.ofMillis(200)).stream().filter(l -> l.startsWith("RETURNED")).count();
        }
        assertThat(alice.run("receive").code()).isZero();
        List<String> received = bobReceives();
        // Everything send returned for is there; at most the one in flight at the kill joins it.
        assertThat(received.size()).isBetween(returned, returned + 1);
        assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(1, received.size())
                .mapToObj(i -> "burst " + i).toList());
        assertThat(alice.run("receive").code()).isZero();
        assertThat(bobReceives()).isEmpty();
    }
}
