package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import dev.vouch.testing.ListSwappingStorage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed device lists end to end (docs/devices.md), with a real relay and real profiles: what a
 * contact's list adds and removes, who gets each message, and every list a client must refuse,
 * served by a relay that swaps lists in its {@code lookup} answers.
 */
class DeviceListScenarioTest {
    @TempDir
    Path dir;
    private LocalRelay relay;
    private ListSwappingStorage swap;
    private Member alice;
    private Member bob;
    /** Envelope ids already in bob's mailboxes: what a step added is what is not in here. */
    private final Set<String> seen = new HashSet<>();

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        AtomicReference<ListSwappingStorage> storage = new AtomicReference<>();
        relay = LocalRelay.startSwapping(dir.resolve("relay"), clock, Limits.DEFAULT, storage::set);
        swap = storage.get();
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        relay.close();
    }

    private Contact bobAtAlice() throws Exception {
        return alice.messenger().keys().require("bob");
    }

    private List<KeyEvent> history() throws Exception {
        return alice.messenger().keys().history(bobAtAlice());
    }

    /** Bob signs and publishes a new list from his own device, then goes offline again. */
    private SignedDeviceList publish(SignedDeviceList.Device... devices) throws Exception {
        SignedDeviceList list = bob.online().publishDevices(List.of(devices));
        bob.offline();
        return list;
    }

    /** The devices that got an envelope since the last call. */
    private List<Integer> newEnvelopes() throws Exception {
        List<Integer> devices = relay.mailboxes("bob").stream().filter(e -> seen.add(e.envelopeId()))
                .map(LocalRelay.DeviceEnvelope::deviceId).sorted().toList();
        return devices;
    }

    @Test
    void everyAccountPublishesItsFirstListAndAContactRemembersIt() throws Exception {
        assertThat(bob.messenger().ownDevices()).hasValueSatisfying(own -> {
            assertThat(own.version()).isEqualTo(1);
            assertThat(own.devices()).singleElement().satisfies(d -> {
                assertThat(d.deviceId()).isEqualTo(1);
                assertThat(d.key()).isEqualTo(bob.account.deviceIdentity().publicKey());
                assertThat(d.name()).isEqualTo("Desktop");
            });
        });
        alice.online().addContact("bob");
        SignedDeviceList known = alice.messenger().keys().deviceList(bobAtAlice()).orElseThrow();
        assertThat(known).isEqualTo(bob.messenger().ownDevices().orElseThrow());
        assertThat(history()).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.FIRST_SEEN);
        // a second connection publishes nothing again: the relay confirmed the list
        bob.online();
        bob.offline();
        assertThat(bob.messenger().ownDevices().orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aNewDeviceIsAnnouncedAndGetsEveryMessageAndARemovedOneGetsNone() throws Exception {
        alice.online().addContact("bob");
        assertThat(alice.messenger().send("bob", "one").status()).isEqualTo(MessageStatus.SENT);
        assertThat(newEnvelopes()).containsExactly(1);

        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        publish(ExtraDevice.first(bob), laptop.entry());
        assertThat(alice.messenger().send("bob", "two").status()).isEqualTo(MessageStatus.SENT);
        assertThat(newEnvelopes()).containsExactly(1, 2);
        for (LocalRelay.DeviceEnvelope e : relay.mailboxes("bob")) {
            DeviceIdentity to = e.deviceId() == 1 ? bob.account.deviceIdentity() : laptop.identity;
            SealedSender.open(to, e.body()); // each was sealed to the key its device has
        }
        assertThat(history()).filteredOn(e -> e.type() == KeyEvent.Type.DEVICE_ADDED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("device 2", "\"Laptop\"", "list version 2"));
        assertThat(alice.messenger().keys().devices(bobAtAlice())).containsOnlyKeys(1, 2);
        assertThat(alice.keyChanges).as("announced while sending").anySatisfy(o -> assertThat(o.deviceAdded()).isTrue());

        publish(ExtraDevice.first(bob));
        assertThat(alice.messenger().send("bob", "three").status()).isEqualTo(MessageStatus.SENT);
        assertThat(newEnvelopes()).as("the removed device gets nothing").containsExactly(1);
        assertThat(history()).filteredOn(e -> e.type() == KeyEvent.Type.DEVICE_REMOVED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("device 2", "no longer listed"));
        assertThat(alice.messenger().keys().devices(bobAtAlice())).containsOnlyKeys(1);
    }

    @Test
    void aNewDeviceOfAVerifiedContactIsAnnouncedOrByTheSettingHeldUntilReview() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        String digits = a.keys().safetyNumber(bobAtAlice()).displayable();
        assertThat(a.keys().verifyDigits(bobAtAlice(), digits)).isEqualTo(KeyDirectory.VerifyResult.MATCH);
        assertThat(a.keys().holdsNewDevices()).isFalse();

        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        publish(ExtraDevice.first(bob), laptop.entry());
        assertThat(a.send("bob", "announced only").status()).isEqualTo(MessageStatus.SENT);
        assertThat(bobAtAlice().verification()).isEqualTo(VerificationState.VERIFIED);
        assertThat(newEnvelopes()).containsExactly(1, 2);

        a.keys().holdNewDevices(true);
        ExtraDevice phone = ExtraDevice.register(bob, 3, "Phone");
        publish(ExtraDevice.first(bob), laptop.entry(), phone.entry());
        Messenger.SendResult held = a.send("bob", "held for review");
        assertThat(held.status()).isEqualTo(MessageStatus.HELD);
        assertThat(bobAtAlice().verification()).isEqualTo(VerificationState.CHANGED_AFTER_VERIFIED);
        assertThat(newEnvelopes()).as("nothing is encrypted before the review").isEmpty();
        assertThat(a.review("bob").held()).hasSize(1);

        assertThat(a.approve("bob")).isEqualTo(1);
        assertThat(bobAtAlice().verification()).as("only a device changed: the verified account key stays verified")
                .isEqualTo(VerificationState.VERIFIED);
        assertThat(newEnvelopes()).as("once to each listed device").containsExactly(1, 2, 3);
        a.flush();
        assertThat(newEnvelopes()).as("and never again").isEmpty();
        assertThat(alice.store.messages().get(held.message().id()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aDeviceWhoseNewKeyNoListHoldsGetsNothingUntilItIsListed() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        publish(ExtraDevice.first(bob), laptop.entry());
        laptop.rekey(); // registered again: its bundle now names a key that no list of bob's holds
        Messenger.SendResult first = a.send("bob", "before the list names the new key");
        a.flush();
        assertThat(newEnvelopes()).as("the unlisted key gets nothing; device 1 gets it once").containsExactly(1);
        assertThat(first.status()).isEqualTo(MessageStatus.SENT);

        publish(ExtraDevice.first(bob), laptop.entry());
        assertThat(a.send("bob", "after").status()).isEqualTo(MessageStatus.SENT);
        assertThat(newEnvelopes()).containsExactly(1, 2);
        for (LocalRelay.DeviceEnvelope e : relay.mailboxes("bob")) {
            SealedSender.open(e.deviceId() == 1 ? bob.account.deviceIdentity() : laptop.identity, e.body());
        }
        assertThat(history()).filteredOn(e -> e.type() == KeyEvent.Type.DEVICE_REMOVED).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("device 2", "replaced"));
    }

    @Test
    void aRolledBackListIsRefusedRecordedAndChangesNothing() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        SignedDeviceList first = bob.messenger().ownDevices().orElseThrow();
        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        publish(ExtraDevice.first(bob), laptop.entry());
        a.refreshKeys(bobAtAlice());
        assertThat(a.keys().deviceList(bobAtAlice()).orElseThrow().version()).isEqualTo(2);

        swap.serve("bob", first.serialize());
        assertThatThrownBy(() -> a.refreshKeys(bobAtAlice())).isInstanceOf(DeviceListRefusedException.class)
                .hasMessageContaining("older than version 2");
        assertThat(history()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(KeyEvent.Type.DEVICE_LIST_REFUSED);
            assertThat(e.detail()).contains("version 1 is older than version 2");
        });
        assertThat(a.keys().devices(bobAtAlice())).containsOnlyKeys(1, 2);
        assertThat(a.keys().deviceList(bobAtAlice()).orElseThrow().version()).isEqualTo(2);

        int events = history().size();
        Messenger.SendResult waiting = a.send("bob", "not to a rolled-back list");
        assertThat(waiting.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(newEnvelopes()).isEmpty();
        assertThat(history()).as("the same refusal is recorded once").hasSize(events);

        swap.honest();
        a.flush();
        assertThat(newEnvelopes()).containsExactly(1, 2);
        assertThat(alice.store.messages().get(waiting.message().id()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aForgedOrMalformedListIsRefusedAndChangesNothing() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        SignedDeviceList real = bob.messenger().ownDevices().orElseThrow();

        // a list the relay made for a device of its own, signed by a key of its own
        SignedDeviceList forged = SignedDeviceList.sign(AccountIdentity.generate(new SecureRandom()), "bob", 9,
                List.of(ExtraDevice.first(bob), new SignedDeviceList.Device(2,
                        DeviceIdentity.generate(new SecureRandom()).publicKey(), "Relay", Instant.EPOCH)));
        swap.serve("bob", forged.serialize());
        assertThatThrownBy(() -> a.refreshKeys(bobAtAlice())).isInstanceOf(DeviceListRefusedException.class)
                .hasMessageContaining("bad signature");

        // a list that names one device id twice, validly signed by bob's own account key
        swap.serve("bob", duplicated(bob.account.accountIdentity()));
        assertThatThrownBy(() -> a.refreshKeys(bobAtAlice())).isInstanceOf(DeviceListRefusedException.class)
                .hasMessageContaining("listed twice");

        // bob's list for another handle
        SignedDeviceList elsewhere = SignedDeviceList.sign(bob.account.accountIdentity(), "bobby", 5,
                List.of(ExtraDevice.first(bob)));
        swap.serve("bob", elsewhere.serialize());
        assertThatThrownBy(() -> a.refreshKeys(bobAtAlice())).isInstanceOf(DeviceListRefusedException.class)
                .hasMessageContaining("bobby");

        assertThat(history()).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.FIRST_SEEN,
                KeyEvent.Type.DEVICE_LIST_REFUSED, KeyEvent.Type.DEVICE_LIST_REFUSED, KeyEvent.Type.DEVICE_LIST_REFUSED);
        assertThat(a.keys().devices(bobAtAlice())).containsOnlyKeys(1);
        assertThat(a.keys().deviceList(bobAtAlice())).contains(real);
        assertThat(a.transparency().alerts()).as("a bad list is not a log failure").isEmpty();
    }

    @Test
    void aValidlySignedListThatIsNotInTheLogIsATransparencyFailure() throws Exception {
        Messenger a = alice.online();
        a.addContact("bob");
        // bob's own key signed it, but it was never published, so the log does not hold it
        SignedDeviceList unpublished = SignedDeviceList.sign(bob.account.accountIdentity(), "bob", 7,
                List.of(ExtraDevice.first(bob), new SignedDeviceList.Device(2,
                        DeviceIdentity.generate(new SecureRandom()).publicKey(), "Hidden", Instant.EPOCH)));
        swap.serve("bob", unpublished.serialize());
        assertThatThrownBy(() -> a.refreshKeys(bobAtAlice())).isInstanceOf(TransparencyFailureException.class);
        assertThat(history()).last().extracting(KeyEvent::type).isEqualTo(KeyEvent.Type.TRANSPARENCY_CHECK_FAILED);
        assertThat(a.keys().devices(bobAtAlice())).containsOnlyKeys(1);
        assertThat(a.keys().deviceList(bobAtAlice()).orElseThrow().version()).isEqualTo(1);
        assertThat(a.send("bob", "waits").status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(newEnvelopes()).isEmpty();
    }

    @Test
    void ownMonitoringKnowsTheListsThisAccountPublished() throws Exception {
        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        publish(ExtraDevice.first(bob), laptop.entry());
        bob.online();
        assertThat(bob.messenger().transparency().alerts()).isEmpty();
        assertThat(bob.problems.stream().filter(p -> p.contains("transparency")).collect(Collectors.toList())).isEmpty();
    }

    @Test
    void aDeviceAdoptsTheListItPublishedAndNeverReplacesOneThatLeavesItOut() throws Exception {
        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        SignedDeviceList two = publish(ExtraDevice.first(bob), laptop.entry());
        // as if bob's device had published this list and stopped before it stored it
        bob.store.settings().remove("devices.own");
        bob.store.settings().remove("devices.own-confirmed");
        bob.online();
        bob.offline();
        assertThat(bob.messenger().ownDevices()).contains(two);

        // a device of bob's account that the list does not hold cannot publish a list of itself alone
        dev.vouch.store.ProfileStore other = dev.vouch.store.ProfileStore.create(dir.resolve("bob-other"),
                "other passphrase".toCharArray(), Member.FAST, bob.options.clock());
        try (other) {
            other.accounts().save(new dev.vouch.store.model.Account("bob", 5, bob.account.accountIdentity(),
                    DeviceIdentity.generate(new SecureRandom())));
            assertThatThrownBy(() -> Messenger.initialize(other, "bob", relay.invite(), bob.options))
                    .isInstanceOf(ServiceException.class).hasMessageContaining("not in the account's signed device list");
        }
        alice.online().addContact("bob");
        assertThat(alice.messenger().keys().deviceList(bobAtAlice())).contains(two);
    }

    /** A list of bob's with device 1 twice, validly signed: only a strict reader catches it. */
    private static byte[] duplicated(AccountIdentity account) {
        byte[] handle = "bob".getBytes(StandardCharsets.UTF_8);
        ByteWriter w = Tag.SIGNED_DEVICE_LIST.writer(512).u8(handle.length).fixed(handle).u64(3).u8(2);
        for (int i = 0; i < 2; i++) {
            w.u32(1).fixed(DeviceIdentity.generate(new SecureRandom()).publicKey().serialize()).u8(0).u64(0);
        }
        byte[] body = w.toByteArray();
        byte[] label = "Vouch signed device list v1\0".getBytes(StandardCharsets.US_ASCII);
        return new ByteWriter().fixed(body).fixed(account.sign(new ByteWriter().fixed(label).fixed(body)
                .toByteArray())).toByteArray();
    }
}
