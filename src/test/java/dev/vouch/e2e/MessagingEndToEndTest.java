package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.cli.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real profiles talk through a real relay process over TLS on loopback, driven through the
 * command line exactly as a script would: messages both ways, while the recipient is offline and
 * after it returns, across restarts (every command opens and closes its profile), in order and
 * exactly once.
 */
class MessagingEndToEndTest {
    @TempDir
    Path dir;

    private RelayProcess relay;
    private Cli alice;
    private Cli bob;
    private Cli carol;

    @BeforeEach
    void startRelayAndRegister() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = new Cli(dir.resolve("alice"), "alice passphrase");
        bob = new Cli(dir.resolve("bob"), "bob passphrase");
        carol = new Cli(dir.resolve("carol"), "carol passphrase");
        for (Cli[] who : new Cli[][] {{alice}, {bob}, {carol}}) {
            String handle = who[0].profile().getFileName().toString();
            Cli.Result init = who[0].run("init", "--handle", handle, "--relay", relay.invite());
            assertThat(init.code()).as(init.toString()).isZero();
            assertThat(init.out()).contains("account:     " + handle);
        }
    }

    @AfterEach
    void stopRelay() throws Exception {
        relay.close();
    }

    @Test
    void messagesTravelBothWaysInOrderAndExactlyOnceWhileTheRecipientIsOffline() {
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String text = "message " + i + " from alice";
            Cli.Result send = alice.run("send", "bob", text);
            assertThat(send.code()).as(send.toString()).isZero();
            assertThat(send.out()).contains("sent");
            sent.add(text);
        }

        Cli.Result received = bob.run("receive");
        assertThat(received.code()).as(received.toString()).isZero();
        assertThat(received.lines()).extracting(line -> line.substring(line.indexOf("  ") + 2))
                .containsExactlyElementsOf(sent.stream().map(t -> "alice: " + t).toList());
        assertThat(bob.run("receive").lines()).as("each message is printed once").isEmpty();

        // Bob never added alice: her message made her a contact, and his answer goes back sealed.
        Cli.Result reply = bob.run("send", "alice", "got all twelve");
        assertThat(reply.code()).as(reply.toString()).isZero();
        assertThat(alice.run("receive").lines()).singleElement().asString().endsWith("bob: got all twelve");

        Cli.Result history = alice.run("history", "bob");
        assertThat(history.lines()).hasSize(13);
        assertThat(history.lines().subList(0, 12)).allSatisfy(line -> assertThat(line).endsWith("[delivered]"));
        assertThat(history.lines().get(12)).contains("bob: got all twelve");
    }

    @Test
    void twoSendersToOneRecipientKeepEachConversationInOrder() {
        assertThat(alice.run("contacts", "add", "carol").code()).isZero();
        assertThat(bob.run("contacts", "add", "carol").code()).isZero();
        IntStream.rangeClosed(1, 5).forEach(i -> {
            assertThat(alice.run("send", "carol", "a" + i).code()).isZero();
            assertThat(bob.run("send", "carol", "b" + i).code()).isZero();
        });
        Cli.Result received = carol.run("receive", "--json");
        assertThat(received.code()).as(received.toString()).isZero();
        assertThat(received.out()).contains("\"from\":\"alice\"", "\"from\":\"bob\"");
        assertThat(carol.run("history", "alice").lines()).extracting(MessagingEndToEndTest::text)
                .containsExactly("a1", "a2", "a3", "a4", "a5");
        assertThat(carol.run("history", "bob").lines()).extracting(MessagingEndToEndTest::text)
                .containsExactly("b1", "b2", "b3", "b4", "b5");
        Cli.Result contacts = carol.run("contacts", "--json");
        assertThat(contacts.out()).contains("\"handle\":\"alice\"", "\"handle\":\"bob\"");
    }

    /** The text of a history line: {@code TIME  SENDER: TEXT  [STATUS]}. */
    private static String text(String historyLine) {
        return historyLine.substring(historyLine.indexOf(": ") + 2, historyLine.lastIndexOf("  ["));
    }

    @Test
    void messagesWrittenWhileTheRelayIsDownGoOutOnceItIsBack() throws Exception {
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        assertThat(alice.run("send", "bob", "before the outage").code()).isZero();
        relay.kill();

        Cli.Result offline = alice.run("send", "bob", "during the outage");
        assertThat(offline.code()).as(offline.toString()).isZero();
        assertThat(offline.out()).contains("queued");
        assertThat(offline.err()).contains("relay not reachable");

        relay.start();
        // Any command that reaches the relay empties the outbox.
        assertThat(alice.run("receive").code()).isZero();
        Cli.Result received = bob.run("receive");
        assertThat(received.lines()).hasSize(2);
        assertThat(received.lines().get(0)).endsWith("alice: before the outage");
        assertThat(received.lines().get(1)).endsWith("alice: during the outage");
        assertThat(alice.run("receive").code()).isZero();
        assertThat(alice.run("history", "bob").lines()).allSatisfy(l -> assertThat(l).endsWith("[delivered]"));
    }

    @Test
    void badInputGetsOneLineAndItsDocumentedExitCode() throws Exception {
        Cli.Result unknown = alice.run("send", "nobody", "hi");
        assertThat(unknown.code()).isEqualTo(ExitCode.UNKNOWN_CONTACT);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("not among your contacts");

        Cli.Result noAccount = alice.run("contacts", "add", "nobody");
        assertThat(noAccount.code()).as(noAccount.toString()).isEqualTo(ExitCode.UNKNOWN_CONTACT);

        Cli.Result invalid = alice.run("contacts", "add", "-x-");
        assertThat(invalid.code()).isIn(ExitCode.USAGE, ExitCode.UNKNOWN_CONTACT);

        Cli wrong = new Cli(dir.resolve("alice"), "not alice's passphrase");
        Cli.Result locked = wrong.run("contacts");
        assertThat(locked.code()).isEqualTo(ExitCode.PASSPHRASE);
        assertThat(locked.err().strip()).doesNotContain("\n").doesNotContain("Exception");

        Cli.Result again = alice.run("init", "--handle", "alice", "--relay", relay.invite());
        assertThat(again.code()).isEqualTo(ExitCode.PROFILE);
        assertThat(again.err()).contains("already has the account alice");

        Cli empty = new Cli(dir.resolve("nobody-here"), "x");
        assertThat(empty.run("contacts").code()).isEqualTo(ExitCode.PROFILE);

        String otherPin = relay.invite().replaceAll("pin=[^&]+", "pin=" + "A".repeat(43));
        Cli dave = new Cli(dir.resolve("dave"), "dave passphrase");
        Cli.Result pinned = dave.run("init", "--handle", "dave", "--relay", otherPin);
        assertThat(pinned.code()).as(pinned.toString()).isEqualTo(ExitCode.RELAY);
        assertThat(pinned.err()).contains("pin mismatch", "A".repeat(43));

        String expired = relay.invite().replaceAll("exp=\\d+", "exp=1000");
        Cli.Result late = dave.run("init", "--handle", "dave", "--relay", expired);
        assertThat(late.code()).isEqualTo(ExitCode.RELAY);
        assertThat(late.err()).contains("expired");

        Cli.Result usage = alice.run("send", "bob");
        assertThat(usage.code()).isEqualTo(ExitCode.USAGE);
    }
}
