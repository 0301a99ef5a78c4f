package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.ConversationSummary;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read and delivery state sync (docs/devices.md, "Read state" and "Delivery state"): received
 * messages read on one device of an account show read on its other devices too, with the same
 * unread count, even when the reading device restarts before it sends; a receipt that reaches the
 * device that sent a text makes its copies on the other devices delivered too; state from anyone
 * but one's own devices, or naming the wrong contact, changes nothing. Alice has two devices (the
 * second set up by hand, {@link Member#secondDevice}); bob writes to her, against a real relay over TLS.
 */
class StateSyncTest {
    @TempDir
    Path dir;
    private LocalRelay relay;
    private Member alice;
    private Member bob;
    private ProfileStore laptopStore;
    private Messenger laptop;
    private final List<String> laptopProblems = new CopyOnWriteArrayList<>();
    private final Map<Long, MessageStatus> laptopStatusChanges = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
        laptopStore = alice.secondDevice(dir.resolve("alice-laptop"), clock);
        laptopStore.messages().addStatusListener(laptopStatusChanges::put);
        laptop = Messenger.open(laptopStore, alice.options, new MessengerListener() {
            @Override
            public void received(StoredMessage message, Contact from) {
            }

            @Override
            public void problem(String message) {
                laptopProblems.add(message);
            }
        });
    }

    @AfterEach
    void stop() {
        laptop.close();
        laptopStore.close();
        alice.close();
        bob.close();
        relay.close();
    }

    /** Bob sends alice three texts, which both her devices receive unread; bob goes offline. */
    private void bobWritesThree() throws Exception {
        Messenger b = bob.online();
        b.addContact("alice");
        for (String text : List.of("one", "two", "three")) {
            assertThat(b.send("alice", text).status()).isEqualTo(MessageStatus.SENT);
        }
        bob.offline();
        alice.online().awaitMailbox(Member.WAIT);
        laptop.connect();
        laptop.awaitMailbox(Member.WAIT);
        assertThat(texts(alice.store, MessageStatus.UNREAD)).containsExactly("one", "two", "three");
        assertThat(texts(laptopStore, MessageStatus.UNREAD)).containsExactly("one", "two", "three");
        assertThat(unreadCount(laptopStore)).isEqualTo(3);
    }

    @Test
    void messagesReadOnOneDeviceShowReadOnTheOtherEvenAcrossARestart() throws Exception {
        bobWritesThree();
        List<StoredMessage> firstTwo = alice.store.messages().withStatus(MessageStatus.UNREAD, 0, 2);
        alice.offline();
        // read with the desktop offline, then closed before anything is sent: a restart
        alice.messenger().markRead(firstTwo);
        alice.offline();
        assertThat(alice.store.settings().get(Outgoing.SyncedState.READ.pending)).as("kept in the store").isPresent();
        assertThat(unreadCount(alice.store)).as("the reading device's own count").isEqualTo(1);

        alice.online().flush();
        alice.offline(); // a receipt for the read state, were one sent, would wait in its mailbox
        assertThat(alice.store.settings().get(Outgoing.SyncedState.READ.pending)).as("sent, so forgotten").isEmpty();
        Member.eventually("the laptop shows two read, problems " + laptopProblems,
                () -> texts(laptopStore, MessageStatus.READ).size() == 2);
        assertThat(texts(laptopStore, MessageStatus.READ)).containsExactly("one", "two");
        assertThat(texts(laptopStore, MessageStatus.UNREAD)).containsExactly("three");
        assertThat(unreadCount(laptopStore)).isEqualTo(1);
        assertThat(laptopStatusChanges).as("the app hears of each through the status listeners")
                .hasSize(2).containsOnlyKeys(firstTwo.stream().map(m -> laptopIdOf(m)).toList())
                .containsValues(MessageStatus.READ);
        laptop.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        laptop.flush();
        assertThat(toDesktop()).as("no receipt answers a read state").isEmpty();
        assertThat(laptopProblems).as("nothing dropped (a hand-made device's transparency alerts aside)")
                .noneMatch(p -> p.contains("dropped"));

        // the same marks again change nothing
        alice.messenger().markRead(firstTwo);
        alice.online().flush();
        laptop.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        assertThat(laptopStatusChanges).hasSize(2);
        assertThat(texts(laptopStore, MessageStatus.UNREAD)).containsExactly("three");
        assertThat(unreadCount(laptopStore)).isEqualTo(1);

        // and reading on the laptop syncs the other way
        laptop.markRead(laptopStore.messages().withStatus(MessageStatus.UNREAD, 0, 10));
        laptop.flush();
        alice.messenger().awaitMailbox(Member.WAIT);
        Member.eventually("the desktop shows all three read", () -> texts(alice.store, MessageStatus.UNREAD).isEmpty());
        assertThat(texts(alice.store, MessageStatus.READ)).containsExactly("one", "two", "three");
        assertThat(unreadCount(alice.store)).isZero();
        assertThat(laptopProblems).as("nothing dropped (a hand-made device's transparency alerts aside)")
                .noneMatch(p -> p.contains("dropped"));
        assertThat(alice.problems).noneMatch(p -> p.contains("dropped"));
    }

    @Test
    void aDeliveryConfirmedToTheSendingDeviceShowsDeliveredOnTheOther() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        assertThat(a.send("bob", "did it arrive?").status()).isEqualTo(MessageStatus.SENT);
        laptop.connect();
        laptop.awaitMailbox(Member.WAIT);
        assertThat(texts(laptopStore, MessageStatus.SENT)).as("the laptop's copy").containsExactly("did it arrive?");

        // the receipt goes to the device that sent the message: the desktop
        Messenger b = bob.online();
        b.awaitMailbox(Member.WAIT);
        b.flush();
        a.awaitMailbox(Member.WAIT);
        Member.eventually("the desktop shows it delivered",
                () -> texts(alice.store, MessageStatus.DELIVERED).size() == 1);
        a.flush();
        alice.offline(); // a receipt for the delivery state, were one sent, would wait in its mailbox
        assertThat(alice.store.settings().get(Outgoing.SyncedState.DELIVERED.pending)).as("sent, so forgotten")
                .isEmpty();
        Member.eventually("the laptop shows it delivered, problems " + laptopProblems,
                () -> texts(laptopStore, MessageStatus.DELIVERED).size() == 1);
        assertThat(texts(laptopStore, MessageStatus.SENT)).isEmpty();
        assertThat(laptopStatusChanges).as("the app hears of it through the status listeners")
                .containsOnly(Map.entry(laptopStore.messages().withStatus(MessageStatus.DELIVERED, 0, 1).get(0).id(),
                        MessageStatus.DELIVERED));
        laptop.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        laptop.flush();
        assertThat(toDesktop()).as("no receipt answers a delivery state").isEmpty();
        assertThat(laptopProblems).noneMatch(p -> p.contains("dropped"));
    }

    @Test
    void aDeliveryStateNamingAnotherConversationChangesNothing() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        a.send("bob", "for bob only");
        laptop.connect();
        laptop.awaitMailbox(Member.WAIT);
        StoredMessage copy = laptopStore.messages().withStatus(MessageStatus.SENT, 0, 1).get(0);
        alice.offline();
        // from alice's own desktop, but naming carol as the message's recipient: only bob can confirm it
        Content wrongPeer = new Content.Delivered(new Content.MessageId(new byte[Content.MESSAGE_ID_LENGTH]),
                Instant.now(), alice.profileKey(), Optional.empty(),
                List.of(new Content.Mark("carol", new Content.MessageId(copy.body().messageId()))));
        byte[] envelope = alice.sealedInSession(new ProtocolAddress("alice", 2), wrongPeer);
        Member.await(alice.raw().sendIdentified("alice", 2, envelope));
        laptop.awaitMailbox(Member.WAIT);
        laptop.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        assertThat(texts(laptopStore, MessageStatus.SENT)).containsExactly("for bob only");
        assertThat(laptopStatusChanges).isEmpty();
    }

    /**
     * What waits for alice's desktop (device 1, offline by then): a receipt the laptop sent would.
     * The laptop's own mailbox may still hold what it stored but has not yet acknowledged.
     */
    private List<?> toDesktop() throws Exception {
        return relay.mailboxes("alice").stream().filter(e -> e.deviceId() == 1).toList();
    }

    /** The laptop's row id of the message the desktop stored as {@code m} (same sender, same message id). */
    private long laptopIdOf(StoredMessage m) {
        try {
            return laptopStore.messages().findByUid(MessageUids.of(m.body())).orElseThrow().id();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readStateForgedByAnotherAccountIsRefusedAndChangesNothing() throws Exception {
        bobWritesThree();
        List<StoredMessage> laptopUnread = laptopStore.messages().withStatus(MessageStatus.UNREAD, 0, 10);
        List<Content.Mark> all = new ArrayList<>();
        for (StoredMessage m : laptopUnread) {
            all.add(new Content.Mark("bob", new Content.MessageId(m.body().messageId())));
        }
        Content forged = new Content.Read(new Content.MessageId(new byte[Content.MESSAGE_ID_LENGTH]), Instant.now(),
                bob.profileKey(), Optional.empty(), all);
        byte[] envelope = bob.sealedInSession(new ProtocolAddress("alice", 2), forged);
        Member.await(bob.raw().sendIdentified("alice", 2, envelope));

        Member.eventually("the laptop refuses the forged read state", () -> laptopProblems.stream()
                .anyMatch(p -> p.contains("from bob of a kind it may not send")));
        Content forgedDelivery = new Content.Delivered(new Content.MessageId(new byte[Content.MESSAGE_ID_LENGTH]),
                Instant.now(), bob.profileKey(), Optional.empty(), all);
        Member.await(bob.raw().sendIdentified("alice", 2, bob.sealedInSession(new ProtocolAddress("alice", 2),
                forgedDelivery)));
        Member.eventually("the laptop refuses the forged delivery state too", () -> laptopProblems.stream()
                .filter(p -> p.contains("from bob of a kind it may not send")).count() == 2);
        laptop.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        assertThat(relay.mailboxes("alice")).as("acknowledged, not left for a retry").isEmpty();
        assertThat(texts(laptopStore, MessageStatus.UNREAD)).containsExactly("one", "two", "three");
        assertThat(unreadCount(laptopStore)).isEqualTo(3);
        assertThat(laptopStatusChanges).isEmpty();
    }

    @Test
    void aDeviceAloneInItsListDropsItsReadMarks() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        a.send("bob", "hello bob");
        Messenger b = bob.online();
        b.awaitMailbox(Member.WAIT);
        b.markRead(bob.store.messages().withStatus(MessageStatus.UNREAD, 0, 10));
        assertThat(bob.store.settings().get(Outgoing.SyncedState.READ.pending)).as("queued").isPresent();
        b.flush();
        assertThat(bob.store.settings().get(Outgoing.SyncedState.READ.pending)).as("nothing to sync with").isEmpty();
        assertThat(relay.mailboxes("bob")).as("nothing sent to bob's own account").isEmpty();
        assertThat(unreadCount(bob.store)).isZero();
    }

    private static List<String> texts(ProfileStore store, MessageStatus status) throws Exception {
        return store.messages().withStatus(status, 0, 100).stream().map(m -> m.body().text())
                .collect(Collectors.toList());
    }

    private static long unreadCount(ProfileStore store) throws Exception {
        return store.conversations().list().stream().filter(c -> "bob".equals(c.peer()))
                .mapToLong(ConversationSummary::unread).sum();
    }
}
