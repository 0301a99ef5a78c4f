package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linking and unlinking end to end (docs/devices.md, "Linking" and "Unlinking"), with a real relay
 * over TLS and real profiles: three accounts with one to three devices each. At every step the test
 * checks who can decrypt what (each stored envelope opens only with the key of a device of its
 * recipient's current list), what each device shows, and that held messages go out exactly once.
 */
class LinkScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private MutableClock clock;
    private LocalRelay relay;
    private Member alice;
    private Member bob;
    private Member carol;
    private final List<LinkedDevice> devices = new java.util.ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
        carol = Member.register(dir, "carol", relay, clock);
    }

    @AfterEach
    void stop() {
        devices.forEach(LinkedDevice::close);
        alice.close();
        bob.close();
        carol.close();
        relay.close();
    }

    /** A new device of {@code owner}'s account, linked through the relay with the real code and channel. */
    private LinkedDevice link(Member owner, String name) throws Exception {
        clock.advance(Duration.ofMinutes(1)); // keeps every device under the relay's per-minute limits
        LinkedDevice device = LinkedDevice.show(dir.resolve(owner.handle + "-" + name), relay.invite(), name,
                owner.options, Optional.of(owner.handle), WAIT);
        devices.add(device);
        SignedDeviceList list = owner.online().acceptLink(device.pending.code(), name, WAIT);
        Account account = device.account();
        assertThat(list.device(account.deviceId())).hasValueSatisfying(d -> {
            assertThat(d.key()).isEqualTo(account.deviceIdentity().publicKey());
            assertThat(d.name()).isEqualTo(name);
        });
        assertThat(account.accountIdentity().publicKey()).isEqualTo(owner.account.accountIdentity().publicKey());
        assertThat(account.deviceIdentity().publicKey()).as("the new device has its own device key")
                .isNotEqualTo(owner.account.deviceIdentity().publicKey());
        return device;
    }

    /**
     * Every envelope stored for {@code handle} since the last call is for a device of {@code current}
     * and opens with the key that list gives it; returns the device ids, sorted.
     */
    private List<Integer> newEnvelopes(String handle, SignedDeviceList current,
                                       java.util.Map<Integer, dev.vouch.protocol.keys.DeviceIdentity> keys)
            throws Exception {
        List<Integer> ids = new java.util.ArrayList<>();
        for (LocalRelay.DeviceEnvelope e : relay.mailboxes(handle)) {
            if (!seen.add(e.envelopeId())) {
                continue;
            }
            assertThat(current.device(e.deviceId())).as("an envelope for %s's device %d outside list version %d",
                    handle, e.deviceId(), current.version()).isPresent();
            dev.vouch.protocol.keys.DeviceIdentity identity = keys.get(e.deviceId());
            assertThat(identity.publicKey()).isEqualTo(current.device(e.deviceId()).get().key());
            SealedSender.open(identity, e.body()); // throws unless sealed to the listed key
            ids.add(e.deviceId());
        }
        java.util.Collections.sort(ids);
        return ids;
    }

    @Test
    void linkSendUnlinkAndRotateAcrossThreeAccounts() throws Exception {
        // history before the link: alice and bob talk, alice verifies bob
        Messenger a = alice.online();
        a.addContact("bob");
        a.addContact("carol");
        String digits = a.keys().safetyNumber(a.keys().require("bob")).displayable();
        a.keys().verifyDigits(a.keys().require("bob"), digits);
        a.send("bob", "before the laptop");
        Messenger b = bob.online();
        b.addContact("alice");
        b.awaitMailbox(Member.WAIT);
        b.send("alice", "answer before the laptop");
        a.awaitMailbox(Member.WAIT);
        a.awaitQuiet(Duration.ofMillis(300), Member.WAIT);

        // alice links a laptop and a tablet (three devices), bob a phone (two), carol stays on one
        LinkedDevice laptop = link(alice, "Laptop");
        LinkedDevice tablet = link(alice, "Tablet");
        LinkedDevice phone = link(bob, "Phone");
        assertThat(laptop.account().deviceId()).isEqualTo(2);
        assertThat(tablet.account().deviceId()).isEqualTo(3);
        assertThat(phone.account().deviceId()).isEqualTo(2);
        SignedDeviceList aliceList = a.ownDevices().orElseThrow();
        assertThat(aliceList.version()).isEqualTo(3);
        assertThat(aliceList.devices()).extracting(SignedDeviceList.Device::name)
                .containsExactly("Desktop", "Laptop", "Tablet");

        // the transfer: contacts, verification, key history and recent messages; no session, no prekey
        Messenger l = laptop.messenger();
        assertThat(l.account().handle()).isEqualTo("alice");
        assertThat(l.keys().require("bob").verification()).isEqualTo(VerificationState.VERIFIED);
        assertThat(l.keys().require("carol").verification()).isEqualTo(VerificationState.UNVERIFIED);
        assertThat(l.keys().history(l.keys().require("bob"))).extracting(KeyEvent::type)
                .containsAll(a.keys().history(a.keys().require("bob")).stream().map(KeyEvent::type).toList());
        assertThat(l.history(l.keys().require("bob"), 10)).extracting(m -> m.body().text())
                .containsExactly("before the laptop", "answer before the laptop");
        assertThat(laptop.store.protocolState().knownDevices()).as("sessions never travel")
                .allSatisfy(address -> assertThat(laptop.store.protocolState().loadSession(address)).isEmpty());
        List<byte[]> desktopPreKeys = alice.store.protocolState().preKeys().stream()
                .map(dev.vouch.store.dao.ProtocolStateDao.StoredPreKey::serialized).toList();
        assertThat(laptop.store.protocolState().preKeys()).as("only the laptop's own prekeys")
                .noneMatch(k -> desktopPreKeys.stream().anyMatch(mine -> java.util.Arrays.equals(mine, k.serialized())));

        // carol writes to alice: every one of alice's three devices gets it, sealed to its own key
        // (alice and bob offline, so their mailboxes keep what the relay stored)
        alice.offline();
        bob.offline();
        Messenger c = carol.online();
        c.addContact("alice");
        assertThat(c.send("alice", "hello all of you").status()).isEqualTo(MessageStatus.SENT);
        java.util.Map<Integer, dev.vouch.protocol.keys.DeviceIdentity> aliceKeys = new java.util.HashMap<>(java.util.Map.of(
                1, alice.account.deviceIdentity(), 2, laptop.account().deviceIdentity(),
                3, tablet.account().deviceIdentity()));
        assertThat(newEnvelopes("alice", aliceList, aliceKeys)).containsExactly(1, 2, 3);
        l.connect();
        l.awaitMailbox(Member.WAIT);
        assertThat(laptop.received).extracting(m -> m.body().text()).contains("hello all of you");

        // the laptop sends to bob: bob's two devices get it, alice's desktop and tablet get copies
        assertThat(l.send("bob", "from the laptop").status()).isEqualTo(MessageStatus.SENT);
        java.util.Map<Integer, dev.vouch.protocol.keys.DeviceIdentity> bobKeys = java.util.Map.of(
                1, bob.account.deviceIdentity(), 2, phone.account().deviceIdentity());
        assertThat(newEnvelopes("bob", bob.messenger().ownDevices().orElseThrow(), bobKeys)).containsExactly(1, 2);
        assertThat(newEnvelopes("alice", aliceList, aliceKeys)).containsExactly(1, 3);
        Messenger p = phone.online();
        p.awaitMailbox(Member.WAIT);
        assertThat(phone.received).extracting(m -> m.body().text()).contains("from the laptop");
        a = alice.online();
        a.awaitMailbox(Member.WAIT);
        Long conversation = alice.store.conversations().find("bob").orElseThrow();
        assertThat(alice.store.messages().newest(conversation, 1)).singleElement().satisfies(m -> {
            assertThat(m.body().text()).isEqualTo("from the laptop");
            assertThat(m.body().direction()).isEqualTo(Direction.OUTGOING);
        });

        // a code works once
        assertThatThrownBy(() -> alice.messenger().acceptLink(laptop.pending.code(), "Again", WAIT))
                .isInstanceOfSatisfying(LinkRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(LinkRefusedException.Reason.REUSED));
        // and a device cannot unlink itself
        assertThatThrownBy(() -> alice.messenger().unlink(1)).isInstanceOf(ServiceException.class).hasMessageContaining("this device");

        // alice unlinks the laptop from the tablet: it is told at once and stops
        Messenger t = tablet.online();
        SignedDeviceList withoutLaptop = t.unlink(2);
        assertThat(withoutLaptop.devices()).extracting(SignedDeviceList.Device::deviceId).containsExactly(1, 3);
        Member.eventually("the laptop is told it was removed",
                () -> laptop.problems.stream().anyMatch(s -> s.contains("removed from its account")));
        laptop.offline();
        assertThatThrownBy(laptop::messenger).isInstanceOf(DeviceRemovedException.class);
        assertThat(relay.mailboxes("alice")).as("the laptop's mailbox went with it")
                .noneMatch(e -> e.deviceId() == 2);

        // carol's next message reaches the two devices left, and never the laptop again
        alice.offline();
        tablet.offline();
        assertThat(c.send("alice", "after the laptop left").status()).isEqualTo(MessageStatus.SENT);
        assertThat(newEnvelopes("alice", withoutLaptop, aliceKeys)).containsExactly(1, 3);
        assertThat(c.keys().history(c.keys().require("alice"))).extracting(KeyEvent::type)
                .containsExactly(KeyEvent.Type.FIRST_SEEN, KeyEvent.Type.DEVICE_REMOVED);

        // the desktop learns its list changed and links a new device after it: the laptop's id is never reused
        alice.online().awaitMailbox(Member.WAIT);
        LinkedDevice second = link(alice, "Laptop 2");
        assertThat(second.account().deviceId()).isGreaterThan(3);

        // carol rotates her account key (a new installation); bob verified her, so his next message is
        // held until he reviews the change, then goes out exactly once
        Messenger b2 = bob.online();
        b2.addContact("carol");
        String carolDigits = b2.keys().safetyNumber(b.keys().require("carol")).displayable();
        assertThat(b2.keys().verifyDigits(b2.keys().require("carol"), carolDigits)).isEqualTo(KeyDirectory.VerifyResult.MATCH);
        carol.offline();
        Member newCarol = reinstall("carol");
        clock.advance(Duration.ofMinutes(1));
        assertThat(b2.send("carol", "held until review").status()).isEqualTo(MessageStatus.HELD);
        assertThat(newEnvelopes("carol", newCarol.messenger().ownDevices().orElseThrow(),
                java.util.Map.of(1, newCarol.account.deviceIdentity()))).as("nothing leaves before the review").isEmpty();
        assertThat(b2.review("carol").pending()).isTrue();
        assertThat(b2.approve("carol")).isEqualTo(1);
        assertThat(newEnvelopes("carol", newCarol.messenger().ownDevices().orElseThrow(),
                java.util.Map.of(1, newCarol.account.deviceIdentity()))).containsExactly(1);
        assertThat(b2.flush()).isZero();
        Messenger nc = newCarol.online();
        nc.awaitMailbox(Member.WAIT);
        nc.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        assertThat(newCarol.received).extracting(m -> m.body().text()).containsExactly("held until review");
        assertThat(newEnvelopes("carol", newCarol.messenger().ownDevices().orElseThrow(),
                java.util.Map.of(1, newCarol.account.deviceIdentity()))).as("released exactly once").isEmpty();
        // bob's phone got the copy of the released message, once
        p.awaitMailbox(Member.WAIT);
        Long withCarol = phone.store.conversations().find("carol").orElseThrow();
        assertThat(phone.store.messages().newest(withCarol, 10)).extracting(m -> m.body().text())
                .containsExactly("held until review");
        newCarol.close();
    }

    @Test
    void aLinkedDeviceOfAVerifiedContactHoldsMessagesUntilAcceptedThenEachGoesOutOnce() throws Exception {
        Messenger b = bob.online();
        b.addContact("alice");
        String digits = b.keys().safetyNumber(b.keys().require("alice")).displayable();
        assertThat(b.keys().verifyDigits(b.keys().require("alice"), digits)).isEqualTo(KeyDirectory.VerifyResult.MATCH);
        b.keys().holdNewDevices(true);

        LinkedDevice laptop = link(alice, "Laptop");
        SignedDeviceList both = alice.messenger().ownDevices().orElseThrow();
        alice.offline();
        clock.advance(Duration.ofMinutes(1));
        assertThat(b.send("alice", "one").status()).isEqualTo(MessageStatus.HELD);
        assertThat(b.send("alice", "two").status()).isEqualTo(MessageStatus.HELD);
        java.util.Map<Integer, dev.vouch.protocol.keys.DeviceIdentity> keys = java.util.Map.of(
                1, alice.account.deviceIdentity(), 2, laptop.account().deviceIdentity());
        assertThat(newEnvelopes("alice", both, keys)).as("nothing leaves before the review").isEmpty();
        assertThat(b.review("alice").pending()).isTrue();
        assertThat(b.review("alice").history()).extracting(KeyEvent::type).contains(KeyEvent.Type.DEVICE_ADDED);

        assertThat(b.approve("alice")).isEqualTo(2);
        assertThat(b.keys().require("alice").verification()).as("only a device changed: verified again")
                .isEqualTo(VerificationState.VERIFIED);
        assertThat(newEnvelopes("alice", both, keys)).containsExactly(1, 1, 2, 2);
        assertThat(b.flush()).isZero();
        assertThat(newEnvelopes("alice", both, keys)).as("released exactly once").isEmpty();
        Messenger l = laptop.online();
        l.awaitMailbox(Member.WAIT);
        l.awaitQuiet(Duration.ofMillis(300), Member.WAIT);
        assertThat(laptop.received).extracting(m -> m.body().text()).containsExactly("one", "two");
    }

    /**
     * A new installation of {@code handle} with a new account key: the relay operator deleted the
     * old account (as an operator can), and the handle registers again.
     */
    private Member reinstall(String handle) throws Exception {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + dir.resolve("relay").resolve("relay.db")); java.sql.Statement st = db.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            assertThat(st.executeUpdate("DELETE FROM accounts WHERE handle = '" + handle + "'")).isPositive();
        }
        return Member.register(dir.resolve("again"), handle, relay, clock);
    }
}
