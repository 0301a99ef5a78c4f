package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.relay.server.Limits;
import dev.vouch.testing.ListSwappingStorage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Over random sequences of links (a new device registered and listed), unlinks (a device left out
 * of the next list, which removes it at the relay), devices registered but never listed, device key
 * changes, relays serving old or forged lists, and sends, no message is ever encrypted to a device outside the recipient's current valid
 * signed list (docs/devices.md, "Fan-out"): every envelope the relay stores for bob is for a device
 * of the newest list bob published, and opens only with the key that list gives that device.
 * One real relay and two real profiles serve every try; alice stays online, bob offline (his
 * mailboxes keep everything alice sent).
 */
class FanOutProperties {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static Path dir;
    private static MutableClock clock;
    private static LocalRelay relay;
    private static ListSwappingStorage swap;
    private static Member alice;
    private static Member bob;
    /** Bob's extra devices in his newest list, by id (a removed device is gone for good). */
    private static final Map<Integer, ExtraDevice> extras = new java.util.TreeMap<>();
    private static final List<ExtraDevice> removed = new ArrayList<>();
    private static int nextBobId = 2;
    private static int nextAliceId = 2;
    private static ExtraDevice aliceLaptop;
    private static final List<SignedDeviceList> alicePublished = new ArrayList<>();
    /** Every device identity bob's devices ever had, by public key: what opens an envelope. */
    private static final Map<DeviceIdentityKey, DeviceIdentity> identities = new HashMap<>();
    private static final List<SignedDeviceList> published = new ArrayList<>();
    private static final Set<String> seen = new HashSet<>();
    private static int sent;
    private static int aliceCopies;

    sealed interface Action permits Link, Unlink, Unlisted, Rekey, ServeOld, ServeForged, Honest, Send, AliceLists {
    }

    /**
     * Alice links a laptop (a new device id) or unlinks the one she has ({@link Messenger#unlink}):
     * her own copies must follow her own list too.
     */
    record AliceLists(boolean laptop) implements Action {
    }

    /** Bob links a new device: registered under the next id, then listed. */
    record Link() implements Action {
    }

    /** Bob unlinks the {@code which}-th of his listed extra devices (modulo their number). */
    record Unlink(int which) implements Action {
    }

    /** A device of bob's account registers (the account key binds it) but is never listed. */
    record Unlisted() implements Action {
    }

    /** One of bob's listed extra devices is registered again with a new key (its list entry is now stale). */
    record Rekey(int which) implements Action {
    }

    /** The relay serves one of bob's earlier lists. */
    record ServeOld(int back) implements Action {
    }

    /** The relay serves a list it made, with a device of its own. */
    record ServeForged() implements Action {
    }

    record Honest() implements Action {
    }

    record Send() implements Action {
    }

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("vouch-fan-out");
        clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        AtomicReference<ListSwappingStorage> storage = new AtomicReference<>();
        relay = LocalRelay.startSwapping(dir.resolve("relay"), clock, Limits.DEFAULT, storage::set);
        swap = storage.get();
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
        identities.put(bob.account.deviceIdentity().publicKey(), bob.account.deviceIdentity());
        published.add(bob.messenger().ownDevices().orElseThrow());
        alicePublished.add(alice.messenger().ownDevices().orElseThrow());
        alice.online().addContact("bob");
        for (int i = 0; i < 2; i++) {
            apply(new Link());
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        // the sequences must have exercised fan-out, or the property proved nothing
        assertThat(seen).as("envelopes checked").hasSizeGreaterThan(10);
        assertThat(published).as("lists published").hasSizeGreaterThan(3);
        assertThat(removed).as("devices unlinked").isNotEmpty();
        assertThat(aliceCopies).as("copies for alice's laptops").isPositive();
        alice.close();
        bob.close();
        relay.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<Action>> sequences() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Link())),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 7).map(Unlink::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Unlisted())),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 7).map(Rekey::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3).map(ServeOld::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ServeForged())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Honest())),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(true, false).map(AliceLists::new)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(new Send())));
        return action.list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void noMessageIsEncryptedToADeviceOutsideTheCurrentSignedList(@ForAll("sequences") List<Action> actions)
            throws Exception {
        for (Action action : actions) {
            clock.advance(Duration.ofMinutes(1)); // keeps alice's lookups under the relay's per-minute limit
            apply(action);
            check(action);
        }
        swap.honest();
        apply(new Send());
        check(new Send());
    }

    private static void apply(Action action) throws Exception {
        if (action instanceof Link) {
            if (extras.size() >= 5) {
                apply(new Unlink(0)); // keeps the list well under its 16 devices
            }
            ExtraDevice device = ExtraDevice.register(bob, nextBobId++, "device");
            identities.put(device.identity.publicKey(), device.identity);
            extras.put(device.deviceId, device);
            publishBob();
        } else if (action instanceof Unlink u) {
            if (!extras.isEmpty()) {
                int id = new ArrayList<>(extras.keySet()).get(u.which() % extras.size());
                removed.add(extras.remove(id));
                publishBob();
            }
        } else if (action instanceof Unlisted) {
            ExtraDevice device = ExtraDevice.register(bob, nextBobId++, "never listed");
            identities.put(device.identity.publicKey(), device.identity);
        } else if (action instanceof Rekey r) {
            if (!extras.isEmpty()) {
                ExtraDevice device = new ArrayList<>(extras.values()).get(r.which() % extras.size());
                device.rekey();
                identities.put(device.identity.publicKey(), device.identity);
            }
        } else if (action instanceof ServeOld o) {
            if (published.size() > o.back()) {
                swap.serve("bob", published.get(published.size() - 1 - o.back()).serialize());
            }
        } else if (action instanceof ServeForged) {
            swap.serve("bob", SignedDeviceList.sign(AccountIdentity.generate(RANDOM), "bob",
                    published.get(published.size() - 1).version() + 1, List.of(ExtraDevice.first(bob),
                            new SignedDeviceList.Device(5, DeviceIdentity.generate(RANDOM).publicKey(), "relay's",
                                    Instant.EPOCH))).serialize());
        } else if (action instanceof AliceLists a) {
            if (a.laptop() && aliceLaptop == null) {
                aliceLaptop = ExtraDevice.register(alice, nextAliceId++, "Laptop");
                identities.put(aliceLaptop.identity.publicKey(), aliceLaptop.identity);
                alicePublished.add(alice.messenger().publishDevices(List.of(ExtraDevice.first(alice),
                        aliceLaptop.entry())));
            } else if (!a.laptop() && aliceLaptop != null) {
                alicePublished.add(alice.messenger().unlink(aliceLaptop.deviceId));
                aliceLaptop = null;
            }
        } else if (action instanceof Honest) {
            swap.honest();
        } else {
            alice.messenger().send("bob", "message " + ++sent);
        }
    }

    /** Bob signs the next list: his device 1 and his listed extra devices. */
    private static void publishBob() throws Exception {
        List<SignedDeviceList.Device> devices = new ArrayList<>(List.of(ExtraDevice.first(bob)));
        extras.values().forEach(d -> devices.add(d.entry()));
        long version = published.get(published.size() - 1).version() + 1;
        SignedDeviceList list = SignedDeviceList.sign(bob.account.accountIdentity(), "bob", version, devices);
        Member.await(bob.raw().publishDeviceList(list));
        published.add(list);
    }

    /**
     * Every envelope stored since the last check is for a device of its account's newest list (bob's,
     * or alice's own for her copies), sealed to the key that list gives it.
     */
    private static void check(Action after) throws Exception {
        if (after instanceof Unlink && !removed.isEmpty()) {
            assertThat(relay.mailboxes("bob")).as("a removed device's mailbox is gone")
                    .noneMatch(e -> e.deviceId() == removed.get(removed.size() - 1).deviceId);
        }
        check(after, "bob", published.get(published.size() - 1));
        check(after, "alice", alicePublished.get(alicePublished.size() - 1));
    }

    private static void check(Action after, String handle, SignedDeviceList current) throws Exception {
        for (LocalRelay.DeviceEnvelope e : relay.mailboxes(handle)) {
            if (!seen.add(e.envelopeId())) {
                continue;
            }
            assertThat(current.device(e.deviceId())).as("after %s: an envelope for %s's device %d, which list version %d"
                    + " does not hold", after, handle, e.deviceId(), current.version()).isPresent();
            DeviceIdentity listed = identities.get(current.device(e.deviceId()).get().key());
            aliceCopies += handle.equals("alice") ? 1 : 0;
            SealedSender.open(listed, e.body()); // throws unless sealed to the listed key
        }
    }
}
