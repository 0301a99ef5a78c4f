package dev.vouch.service;

import static dev.vouch.service.Member.await;
import static dev.vouch.service.Member.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way in, against a real relay over TLS on loopback and real profiles: what reaches bob's
 * mailbox a second time, altered, as garbage or under a stolen name is acknowledged (so it does
 * not come back) and never stored or shown, and bob goes on receiving real messages; receipts
 * move only the message they confirm, and only within the conversation they come from.
 */
class InboxTest {
    @TempDir
    Path dir;

    private LocalRelay relay;
    private Member alice;
    private Member bob;
    private Member carol;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
        carol = Member.register(dir, "carol", relay, clock);
    }

    @AfterEach
    void stop() {
        for (Member m : new Member[] {alice, bob, carol}) {
            if (m != null) {
                m.close();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }

    private Contact contact(Member of, Member who) throws Exception {
        return of.messenger().keys().require(who.handle);
    }

    /** Waits until bob's mailbox on the relay is empty: everything delivered has been processed and acknowledged. */
    private void bobProcessedEverything() throws Exception {
        eventually("bob's mailbox on the relay is empty", () -> relay.mailbox("bob").isEmpty());
    }

    private static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.body().text()).toList();
    }

    @Test
    void aReplayedEnvelopeIsAcknowledgedAndNotStoredTwice() throws Exception {
        alice.online().addContact("bob");
        assertThat(alice.messenger().send("bob", "only once, please").status()).isEqualTo(MessageStatus.SENT);
        List<LocalRelay.StoredEnvelope> waiting = relay.mailbox("bob");
        assertThat(waiting).hasSize(1);
        byte[] captured = waiting.get(0).body();

        bob.online();
        bobProcessedEverything();
        eventually("bob stored alice's message", () -> bob.messenger().unread(10).size() == 1);
        Contact aliceAtBob = contact(bob, alice);
        assertThat(bob.messenger().history(aliceAtBob, 10)).hasSize(1);

        // The same bytes again, once by identified send from carol's device and once sealed with bob's access key.
        await(carol.raw().sendIdentified("bob", 1, captured));
        bobProcessedEverything();
        await(carol.raw().send("bob", 1, captured, bob.accessKey()));
        bobProcessedEverything();

        assertThat(texts(bob.messenger().unread(10))).containsExactly("only once, please");
        assertThat(bob.messenger().history(aliceAtBob, 10)).hasSize(1);
        assertThat(bob.received).as("shown once").hasSize(1);
        assertThat(bob.problems).as("a replay is a duplicate, not a broken message to warn about").isEmpty();

        // bob still receives, and alice's session with him still works in both directions
        alice.messenger().send("bob", "and this one");
        eventually("bob got the next message", () -> bob.messenger().unread(10).size() == 2);
        assertThat(texts(bob.messenger().unread(10))).containsExactly("only once, please", "and this one");
        assertThat(bob.messenger().send("alice", "both arrived").status()).isEqualTo(MessageStatus.SENT);
        eventually("alice got bob's answer", () -> alice.messenger().unread(10).size() == 1);
    }

    @Test
    void tamperedEnvelopesAndGarbageAreDroppedAndBobKeepsReceiving() throws Exception {
        alice.online().addContact("bob");
        alice.messenger().send("bob", "first");
        byte[] real = relay.mailbox("bob").get(0).body();
        bob.online();
        eventually("bob stored the first message", () -> bob.messenger().unread(10).size() == 1);
        bobProcessedEverything();

        Random random = new Random(20261127);
        int sent = 0;
        for (int at : new int[] {0, 1, real.length / 3, real.length / 2, real.length - 1}) {
            byte[] tampered = real.clone();
            tampered[at] ^= 0x01;
            await(carol.raw().sendIdentified("bob", 1, tampered));
            sent++;
        }
        for (int length : new int[] {1, 33, 200, real.length}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            await(carol.raw().send("bob", 1, garbage, bob.accessKey()));
            sent++;
        }
        bobProcessedEverything();
        int dropped = sent;
        eventually("a problem reported for each dropped envelope", () -> bob.problems.size() >= dropped);
        assertThat(bob.problems).allSatisfy(p -> assertThat(p).startsWith("dropped"));

        alice.messenger().send("bob", "second");
        eventually("bob got the second message", () -> bob.messenger().unread(10).size() == 2);
        assertThat(texts(bob.messenger().unread(10))).containsExactly("first", "second");
        assertThat(bob.messenger().history(contact(bob, alice), 10)).hasSize(2);
        // the listener hears of a message just after its transaction commits
        eventually("bob was told of both messages", () -> bob.received.size() == 2);
    }

    /**
     * carol seals a real session message to bob under a certificate that says "alice" but carries
     * her own device key: bob asks the relay which keys alice has, finds carol's is not one of them,
     * and drops the message without creating a contact, a conversation or a message.
     */
    @Test
    void aSenderCertificateNamingSomeoneElseIsDropped() throws Exception {
        bob.online();
        SenderCertificate forged = new SenderCertificate("alice", 1, carol.account.deviceIdentity().publicKey());
        byte[] envelope = carol.sealedText(bob, "hi bob, it is me, alice", forged);
        await(carol.raw().send("bob", 1, envelope, bob.accessKey()));
        bobProcessedEverything();
        assertThat(bob.messenger().unread(10)).isEmpty();
        assertThat(bob.received).isEmpty();
        assertThat(bob.store.contacts().find("alice")).isEmpty();
        assertThat(bob.store.conversations().find("alice")).isEmpty();
        assertThat(bob.store.protocolState().identity(new ProtocolAddress("alice", 1))).isEmpty();
        assertThat(bob.problems).anyMatch(p -> p.contains("claiming to be from alice")
                && p.contains("key the relay does not list"));

        // the real alice is still believed
        alice.online().addContact("bob");
        alice.messenger().send("bob", "this is really me");
        eventually("alice's real message arrives", () -> bob.messenger().unread(10).size() == 1);
        assertThat(bob.messenger().peerOf(bob.messenger().unread(10).get(0))).isEqualTo("alice");
        assertThat(bob.messenger().unread(10).get(0).body().text()).isEqualTo("this is really me");
    }

    /**
     * carol, a registered stranger to bob, seals under her own name a session message altered in
     * transit: the relay lists her key, but the message does not decrypt, so bob drops it and keeps
     * nothing of it (no contact, key history, conversation or identity), and her next real
     * message is the one that makes her a contact.
     */
    @Test
    void aMessageFromAListedSenderThatDoesNotDecryptLeavesNoTrace() throws Exception {
        bob.online();
        dev.vouch.protocol.keys.PreKeyBundle bundle = await(carol.raw().fetchBundles("bob")).bundles().get(0);
        byte[] altered = carol.sealedText(bob, bundle, "altered on the way", carol.certificate(), inner -> {
            byte[] out = inner.clone();
            out[out.length - 1] ^= 0x01;
            return out;
        });
        await(carol.raw().send("bob", 1, altered, bob.accessKey()));
        bobProcessedEverything();
        assertThat(bob.messenger().unread(10)).isEmpty();
        assertThat(bob.store.contacts().find("carol")).as("no contact from a message that did not decrypt").isEmpty();
        assertThat(bob.store.conversations().find("carol")).isEmpty();
        assertThat(bob.store.protocolState().identity(new ProtocolAddress("carol", 1))).isEmpty();
        assertThat(bob.problems).anyMatch(p -> p.contains("does not decrypt"));

        byte[] real = carol.sealedText(bob, "the real thing", carol.certificate());
        await(carol.raw().send("bob", 1, real, bob.accessKey()));
        eventually("carol's real message arrives", () -> bob.messenger().unread(10).size() == 1);
        assertThat(bob.store.contacts().find("carol")).isPresent();
        assertThat(bob.messenger().keys().history(bob.store.contacts().find("carol").orElseThrow()))
                .extracting(e -> e.type()).containsExactly(dev.vouch.store.model.KeyEvent.Type.FIRST_SEEN);
    }

    @Test
    void aReceiptMarksTheMessageDeliveredOnlyInItsOwnConversation() throws Exception {
        alice.online().addContact("bob");
        alice.messenger().addContact("carol");
        Messenger.SendResult toBob = alice.messenger().send("bob", "please confirm");
        Messenger.SendResult toCarol = alice.messenger().send("carol", "carol is offline");
        assertThat(toBob.status()).isEqualTo(MessageStatus.SENT);
        assertThat(toCarol.status()).isEqualTo(MessageStatus.SENT);

        // bob receives; his receipt goes out with his next flush
        bob.online();
        eventually("bob stored the message", () -> bob.messenger().unread(10).size() == 1);
        bob.messenger().awaitQuiet(java.time.Duration.ofMillis(300), Member.WAIT);
        eventually("alice's message to bob is delivered", () -> alice.store.messages().get(toBob.message().id())
                .orElseThrow().status() == MessageStatus.DELIVERED);
        assertThat(alice.delivered).containsExactly(toBob.message().id());

        // bob confirms the id of alice's message to carol: a message of another conversation
        bob.offline();
        Content.MessageId carolsId = new Content.MessageId(toCarol.message().body().messageId());
        Outgoing bobsOutgoing = new Outgoing(bob.store, bob.store.protocolState(), bob.account, bob.profileKey(),
                new KeyDirectory(bob.store, bob.store.protocolState(), bob.account, bob.options.clock()),
                new LogAuditor(bob.store, bob.invite, bob.account, bob.options.clock(), MessengerListener.NONE),
                bob.options.clock(), bob.options.random());
        bobsOutgoing.queueReceipt(new ProtocolAddress("alice", 1), List.of(carolsId));
        bob.online(); // sends the receipt
        assertThat(bob.store.outbox().size()).isZero();
        eventually("alice processed bob's receipt", () -> relay.mailbox("alice").isEmpty());
        alice.messenger().awaitQuiet(java.time.Duration.ofMillis(300), Member.WAIT);

        assertThat(alice.store.messages().get(toCarol.message().id()).orElseThrow().status())
                .isEqualTo(MessageStatus.SENT);
        assertThat(alice.store.messages().get(toBob.message().id()).orElseThrow().status())
                .isEqualTo(MessageStatus.DELIVERED);
        assertThat(alice.delivered).containsExactly(toBob.message().id());
        assertThat(alice.received).isEmpty();
    }
}
