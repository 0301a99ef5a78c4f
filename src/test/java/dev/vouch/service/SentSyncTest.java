package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sent-message sync (docs/devices.md): a text sent from one device of an account reaches its
 * recipient's devices and, as a copy, the account's other devices of its signed list, which store it
 * as sent in the conversation with the recipient. The second device is set up by hand
 * ({@link Member#secondDevice}).
 */
class SentSyncTest {
    @TempDir
    Path dir;
    private LocalRelay relay;
    private Member alice;
    private Member bob;
    private ProfileStore laptopStore;
    private Messenger laptop;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);

        laptopStore = bob.secondDevice(dir.resolve("bob-laptop"), clock);
        laptop = Messenger.open(laptopStore, bob.options, MessengerListener.NONE);
    }

    @AfterEach
    void stop() {
        laptop.close();
        laptopStore.close();
        alice.close();
        bob.close();
        relay.close();
    }

    @Test
    void aTextSentFromOneDeviceIsCopiedToTheAccountsOtherDevices() throws Exception {
        Messenger desktop = bob.online();
        desktop.addContact("alice");
        assertThat(desktop.send("alice", "hello from the desktop").status()).isEqualTo(MessageStatus.SENT);
        assertThat(relay.mailboxes("bob")).extracting(LocalRelay.DeviceEnvelope::deviceId)
                .as("one copy, for the laptop").containsExactly(2);

        laptop.connect();
        laptop.awaitMailbox(Member.WAIT);
        Long conversation = laptopStore.conversations().find("alice").orElseThrow();
        List<StoredMessage> copies = laptopStore.messages().newest(conversation, 10);
        assertThat(copies).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo(MessageStatus.SENT);
            assertThat(m.body().direction()).isEqualTo(Direction.OUTGOING);
            assertThat(m.body().text()).isEqualTo("hello from the desktop");
        });
        assertThat(laptop.unread(10)).as("a copy is not a new message").isEmpty();
        assertThat(laptopStore.contacts().find("bob")).as("our own devices are not a contact").isEmpty();

        // alice got it on her one device, and a copy never goes to her
        Messenger a = alice.online();
        a.awaitMailbox(Member.WAIT);
        assertThat(alice.received).singleElement().satisfies(m -> assertThat(m.body().text())
                .isEqualTo("hello from the desktop"));
        a.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
    }

    @Test
    void theOtherWayRoundTheDesktopStoresTheLaptopsTextAsSentAndShowsNothingNew() throws Exception {
        laptop.connect();
        laptop.addContact("alice");
        assertThat(laptop.send("alice", "from the laptop").status()).isEqualTo(MessageStatus.SENT);
        Messenger desktop = bob.online();
        desktop.awaitMailbox(Member.WAIT);
        assertThat(bob.received).as("a copy is not shown as received").isEmpty();
        Long conversation = bob.store.conversations().find("alice").orElseThrow();
        assertThat(bob.store.messages().newest(conversation, 10)).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo(MessageStatus.SENT);
            assertThat(m.body().direction()).isEqualTo(Direction.OUTGOING);
            assertThat(m.body().senderDevice()).isEqualTo(2);
            assertThat(m.body().text()).isEqualTo("from the laptop");
        });
        assertThat(bob.store.contacts().find("bob")).isEmpty();
    }
}
