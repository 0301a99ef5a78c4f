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
 * Over random sequences of device list updates, device key changes, relays serving old or forged
 * lists, and sends, no message is ever encrypted to a device outside the recipient's current valid
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
    private static final Map<Integer, ExtraDevice> extras = new HashMap<>();
    private static ExtraDevice aliceLaptop;
    private static final List<SignedDeviceList> alicePublished = new ArrayList<>();
    /** Every device identity bob's devices ever had, by public key: what opens an envelope. */
    private static final Map<DeviceIdentityKey, DeviceIdentity> identities = new HashMap<>();
    private static final List<SignedDeviceList> published = new ArrayList<>();
    private static final Set<String> seen = new HashSet<>();
    private static int sent;

    sealed interface Action permits Publish, Rekey, ServeOld, ServeForged, Honest, Send, AliceLists {
    }

    /** Alice lists her second device or not: her own copies must follow her own list too. */
    record AliceLists(boolean laptop) implements Action {
    }

    /** Bob publishes a list of the devices in {@code mask} (bit i: device i + 1), with their current keys. */
    record Publish(int mask) implements Action {
    }

    /** One of bob's extra devices is registered again with a new key (its list entry is now stale). */
    record Rekey(int deviceId) implements Action {
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
        for (int id = 2; id <= 4; id++) {
            ExtraDevice device = ExtraDevice.register(bob, id, "device " + id);
            extras.put(id, device);
            identities.put(device.identity.publicKey(), device.identity);
        }
        published.add(bob.messenger().ownDevices().orElseThrow());
        aliceLaptop = ExtraDevice.register(alice, 2, "Laptop");
        identities.put(aliceLaptop.identity.publicKey(), aliceLaptop.identity);
        alicePublished.add(alice.messenger().ownDevices().orElseThrow());
        alice.online().addContact("bob");
    }

    @AfterContainer
    static void stop() throws Exception {
        // the sequences must have exercised fan-out, or the property proved nothing
        assertThat(seen).as("envelopes checked").hasSizeGreaterThan(10);
        assertThat(published).as("lists published").hasSizeGreaterThan(3);
        assertThat(relay.mailboxes("alice")).as("copies for alice's laptop").isNotEmpty();
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
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 15).map(Publish::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 4).map(Rekey::new)),
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
        if (action instanceof Publish p) {
            List<SignedDeviceList.Device> devices = new ArrayList<>();
            for (int id = 1; id <= 4; id++) {
                if ((p.mask() & (1 << (id - 1))) != 0) {
                    devices.add(id == 1 ? ExtraDevice.first(bob) : extras.get(id).entry());
                }
            }
            long version = published.get(published.size() - 1).version() + 1;
            SignedDeviceList list = SignedDeviceList.sign(bob.account.accountIdentity(), "bob", version, devices);
            Member.await(bob.raw().publishDeviceList(list));
            published.add(list);
        } else if (action instanceof Rekey r) {
            ExtraDevice device = extras.get(r.deviceId());
            device.rekey();
            identities.put(device.identity.publicKey(), device.identity);
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
            List<SignedDeviceList.Device> devices = new ArrayList<>(List.of(ExtraDevice.first(alice)));
            if (a.laptop()) {
                devices.add(aliceLaptop.entry());
            }
            alicePublished.add(alice.messenger().publishDevices(devices));
        } else if (action instanceof Honest) {
            swap.honest();
        } else {
            alice.messenger().send("bob", "message " + ++sent);
        }
    }

    /**
     * Every envelope stored since the last check is for a device of its account's newest list (bob's,
     * or alice's own for her copies), sealed to the key that list gives it.
     */
    private static void check(Action after) throws Exception {
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
            SealedSender.open(listed, e.body()); // throws unless sealed to the listed key
        }
    }
}
