package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.server.LogJson.Proven;
import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.MalformedProofException;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@code --misbehave} mode does, on the wire, what docs/transparency.md says it does, and so
 * hands a client exactly the evidence the table names: keys that do not match the entry, an entry
 * the victim never published, two views no consistency proof can join, an older head, a rewritten
 * history, a proof that does not verify. (Catching them is the clients' part.)
 */
class MisbehaviorTest {
    @TempDir
    Path data;

    private static JsonNode lookup(TestClient client, String handle) throws Exception {
        return client.ok(new Frames.Lookup(client.nextId(), handle));
    }

    private static JsonNode logHead(TestClient client, long from) throws Exception {
        return client.ok(new Frames.LogHead(client.nextId(), from));
    }

    private static void warnedAtStart(RelayFixture fixture, Misbehavior.Mode mode) {
        assertThat(fixture.events()).contains("event=warning misbehave=" + mode.flag() + " ");
    }

    /** The served device's binding verifies with the served account key: a client checking signatures alone would accept it. */
    private static void validlyBound(String handle, JsonNode lookup) throws Exception {
        AccountIdentityKey served = LogJson.accountKey(lookup);
        for (JsonNode d : lookup.get("devices")) {
            DeviceIdentityKey key = DeviceIdentityKey.decode(LogJson.bytes(d.get("deviceKey")));
            assertThat(served.verify(AuthStrings.deviceBinding(handle, d.get("deviceId").asInt(), key),
                    LogJson.bytes(d.get("deviceBinding")))).isTrue();
        }
    }

    @Test
    void substituteKeyServesRelayMadeKeysForOthersWithTheProofOfTheRealEntry() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.SUBSTITUTE_KEY)) {
            warnedAtStart(fixture, Misbehavior.Mode.SUBSTITUTE_KEY);
            LogKey logKey = fixture.relay.logKey();
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            try (TestClient a = alice.registered(fixture.relay); TestClient b = bob.registered(fixture.relay)) {
                a.ok(alice.preKeys(a, 1, 1, 1, true));

                JsonNode served = lookup(b, "alice");
                AccountIdentityKey substitute = LogJson.accountKey(served);
                assertThat(substitute).isNotEqualTo(alice.account.publicKey());
                validlyBound("alice", served);
                Proven log = LogJson.log(served);
                log.verify(logKey);
                assertThat(log.entry().accountKey()).as("the real entry").isEqualTo(alice.account.publicKey())
                        .isNotEqualTo(substitute);
                assertThat(log.entry().deviceListHash()).isNotEqualTo(LogJson.lookupDevicesHash(served));
                assertThat(LogJson.accountKey(lookup(b, "alice"))).as("made once").isEqualTo(substitute);

                JsonNode bundles = b.ok(new Frames.FetchBundles(b.nextId(), "alice"));
                assertThat(LogJson.accountKey(bundles)).isEqualTo(substitute);
                PreKeyBundle bundle = TestClient.bundle(bundles, 0); // its prekeys' signatures verify
                assertThat(substitute.verify(AuthStrings.deviceBinding("alice", bundle.deviceId(), bundle.identityKey()),
                        TestClient.bundleBinding(bundles, 0))).isTrue();
                assertThat(LogJson.log(bundles).entry()).isEqualTo(log.entry());

                // alice herself is served her own keys, and the log holds nothing relay-made
                JsonNode own = lookup(a, "alice");
                assertThat(LogJson.accountKey(own)).isEqualTo(alice.account.publicKey());
                assertThat(LogJson.log(own).entry().deviceListHash()).isEqualTo(LogJson.lookupDevicesHash(own));
                assertThat(LogJson.entries(a.ok(new Frames.LogEntries(a.nextId(), 0, 10))))
                        .extracting(p -> p.entry().accountKey())
                        .containsExactly(alice.account.publicKey(), bob.account.publicKey());
            }
        }
    }

    @Test
    void substituteKeyLoggedAppendsTheRelayMadeEntryToTheLogEveryoneSees() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.SUBSTITUTE_KEY_LOGGED)) {
            warnedAtStart(fixture, Misbehavior.Mode.SUBSTITUTE_KEY_LOGGED);
            LogKey logKey = fixture.relay.logKey();
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            try (TestClient a = alice.registered(fixture.relay); TestClient b = bob.registered(fixture.relay)) {
                JsonNode served = lookup(b, "alice");
                AccountIdentityKey substitute = LogJson.accountKey(served);
                assertThat(substitute).isNotEqualTo(alice.account.publicKey());
                validlyBound("alice", served);
                // everything a client checks on the answer holds
                Proven log = LogJson.log(served);
                TreeHead head = log.verify(logKey);
                assertThat(log.entry().handle()).isEqualTo("alice");
                assertThat(log.entry().accountKey()).isEqualTo(substitute);
                assertThat(log.entry().deviceListHash()).isEqualTo(LogJson.lookupDevicesHash(served));
                assertThat(log.entry().version()).as("the next version of alice").isEqualTo(2);
                assertThat(head.size()).isEqualTo(3);

                // alice's self-monitoring finds an entry for her handle that she did not publish
                List<Proven> seenByAlice = LogJson.entries(a.ok(new Frames.LogEntries(a.nextId(), 0, 10)));
                assertThat(seenByAlice).hasSize(3);
                Proven planted = seenByAlice.get(2);
                planted.verify(logKey);
                assertThat(planted.entry().handle()).isEqualTo("alice");
                assertThat(planted.entry().accountKey()).isNotEqualTo(alice.account.publicKey());
                // one log for everyone: the same head
                assertThat(LogJson.head(logHead(a, 0)).head().root()).isEqualTo(head.root());
            }
        }
    }

    @Test
    void splitViewShowsTheFirstDeviceTheHonestLogAndEveryOtherOneAForkThatNoProofJoinsToIt() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.SPLIT_VIEW)) {
            warnedAtStart(fixture, Misbehavior.Mode.SPLIT_VIEW);
            LogKey logKey = fixture.relay.logKey();
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            TestDevice carol = new TestDevice("carol");
            try (TestClient a = alice.registered(fixture.relay); TestClient b = bob.registered(fixture.relay)) {
                carol.registered(fixture.relay).close();

                // bob (forked) is served carol's real keys, proven in his view: the fork holds one relay-made entry
                JsonNode toBob = lookup(b, "carol");
                AccountIdentityKey served = LogJson.accountKey(toBob);
                assertThat(served).isEqualTo(carol.account.publicKey());
                Proven bobsProof = LogJson.log(toBob);
                TreeHead bobsHead = bobsProof.verify(logKey);
                assertThat(bobsProof.entry().accountKey()).isEqualTo(served);
                assertThat(bobsProof.entry().deviceListHash()).isEqualTo(LogJson.lookupDevicesHash(toBob));
                assertThat(bobsHead.size()).isEqualTo(4);

                // alice (first to authenticate) sees carol's real keys in the honest log
                JsonNode toAlice = lookup(a, "carol");
                assertThat(LogJson.accountKey(toAlice)).isEqualTo(carol.account.publicKey());
                Proven alicesProof = LogJson.log(toAlice);
                alicesProof.verify(logKey);
                assertThat(alicesProof.entry().accountKey()).isEqualTo(carol.account.publicKey());
                assertThat(alicesProof.head().size()).isEqualTo(3);

                new TestDevice("dave").registered(fixture.relay).close();
                TreeHead alicesHead = logKey.verify(LogJson.head(logHead(a, 0)));
                assertThat(alicesHead.size()).isEqualTo(4);
                assertThat(alicesHead.root()).as("two heads of one size").isNotEqualTo(bobsHead.root());

                // each view is consistent in itself ...
                JsonNode bobLater = logHead(b, bobsHead.size());
                TreeHead bobsNewer = logKey.verify(LogJson.head(bobLater));
                assertThat(bobsNewer.size()).isEqualTo(5);
                ConsistencyProof withinFork = LogJson.consistency(bobLater);
                bobsHead.verifyConsistency(bobsNewer, withinFork);
                assertThat(LogJson.accountKey(lookup(b, "carol"))).as("always the same view").isEqualTo(served);
                // ... but alice's head does not extend to bob's: gossip between them exposes the fork
                ConsistencyProof offered = LogJson.consistency(logHead(b, alicesHead.size()));
                assertThatThrownBy(() -> alicesHead.verifyConsistency(bobsNewer, offered))
                        .isInstanceOf(InvalidProofException.class);
            }
        }
    }

    @Test
    void rollbackServesEachDeviceOlderHeadsAfterItsFirstAnswer() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.ROLLBACK)) {
            warnedAtStart(fixture, Misbehavior.Mode.ROLLBACK);
            LogKey logKey = fixture.relay.logKey();
            for (String handle : List.of("alice", "bob")) {
                new TestDevice(handle).registered(fixture.relay).close();
            }
            TestDevice carol = new TestDevice("carol");
            try (TestClient c = carol.registered(fixture.relay)) {
                Proven first = LogJson.log(lookup(c, "alice"));
                TreeHead newest = first.verify(logKey);
                assertThat(newest.size()).as("the first answer is honest").isEqualTo(3);

                Proven second = LogJson.log(lookup(c, "bob"));
                TreeHead older = second.verify(logKey);
                assertThat(older.size()).as("an older head, still validly signed and proven").isEqualTo(2)
                        .isLessThan(newest.size());
                assertThat(older.timestamp()).isGreaterThanOrEqualTo(newest.timestamp());

                JsonNode head = logHead(c, newest.size());
                assertThat(logKey.verify(LogJson.head(head)).size()).isLessThan(newest.size());
                assertThat(head.has("consistency")).as("no proof can go backwards").isFalse();
            }
            // another device's first answer is honest again
            try (TestClient a = new TestDevice("dave").registered(fixture.relay)) {
                assertThat(LogJson.head(logHead(a, 0)).head().size()).isEqualTo(4);
            }
        }
    }

    @Test
    void dropEntryServesTheLogWithoutTheEntryThatWasNewestAtStart() throws Exception {
        TestDevice alice = new TestDevice("alice");
        TreeHead seen;
        try (RelayFixture honest = new RelayFixture(data)) {
            new TestDevice("bob").registered(honest.relay).close();
            new TestDevice("carol").registered(honest.relay).close();
            try (TestClient a = alice.registered(honest.relay)) {
                seen = honest.relay.logKey().verify(LogJson.head(logHead(a, 0)));
            }
        }
        assertThat(seen.size()).isEqualTo(3);
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.DROP_ENTRY)) {
            warnedAtStart(fixture, Misbehavior.Mode.DROP_ENTRY);
            LogKey logKey = fixture.relay.logKey();
            try (TestClient a = alice.authenticated(fixture.relay)) {
                assertThat(LogJson.head(logHead(a, 0)).head().size()).isEqualTo(2);
                JsonNode dropped = lookup(a, "alice");
                assertThat(dropped.has("log")).as("alice's own entry is gone").isFalse();

                new TestDevice("dave").registered(fixture.relay).close();
                TreeHead rewritten = logKey.verify(LogJson.head(logHead(a, 0)));
                assertThat(rewritten.size()).isEqualTo(3);
                assertThatThrownBy(() -> seen.verifyConsistency(rewritten, new ConsistencyProof(3, 3, List.of())))
                        .as("the same size with another root").isInstanceOf(InvalidProofException.class);

                new TestDevice("erin").registered(fixture.relay).close();
                JsonNode later = logHead(a, seen.size());
                TreeHead newer = logKey.verify(LogJson.head(later));
                assertThat(newer.size()).isEqualTo(4);
                assertThatThrownBy(() -> seen.verifyConsistency(newer, LogJson.consistency(later)))
                        .isInstanceOf(InvalidProofException.class);
                assertThat(LogJson.entries(a.ok(new Frames.LogEntries(a.nextId(), 0, 10))))
                        .extracting(p -> p.entry().handle()).containsExactly("bob", "carol", "dave", "erin");
            }
        }
    }

    @Test
    void badProofServesInclusionProofsFromAnotherTree() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data, Misbehavior.Mode.BAD_PROOF)) {
            warnedAtStart(fixture, Misbehavior.Mode.BAD_PROOF);
            LogKey logKey = fixture.relay.logKey();
            TestDevice alice = new TestDevice("alice");
            try (TestClient a = alice.registered(fixture.relay)) {
                // a log of one entry: the proof is from a tree with one more
                Proven alone = LogJson.log(lookup(a, "alice"));
                assertThat(logKey.verify(alone.signed()).size()).isEqualTo(1);
                assertThat(alone.proof().treeSize()).isEqualTo(2);
                assertThatThrownBy(() -> alone.head().verifyInclusion(alone.entry(), alone.proof()))
                        .isInstanceOf(MalformedProofException.class);

                TestDevice bob = new TestDevice("bob");
                try (TestClient b = bob.registered(fixture.relay)) {
                    JsonNode served = lookup(b, "alice");
                    Proven log = LogJson.log(served);
                    TreeHead head = logKey.verify(log.signed());
                    // the head and the entry are right, the keys match it: only the proof is wrong
                    assertThat(log.entry().accountKey()).isEqualTo(alice.account.publicKey());
                    assertThat(log.entry().deviceListHash()).isEqualTo(LogJson.lookupDevicesHash(served));
                    assertThat(log.proof().treeSize()).isEqualTo(head.size());
                    assertThatThrownBy(() -> head.verifyInclusion(log.entry(), log.proof()))
                            .isInstanceOf(InvalidProofException.class);
                    for (Proven e : LogJson.entries(b.ok(new Frames.LogEntries(b.nextId(), 0, 10)))) {
                        assertThatThrownBy(() -> e.head().verifyInclusion(e.entry(), e.proof()))
                                .isInstanceOf(InvalidProofException.class);
                    }
                    // consistency proofs stay honest
                    TreeHead one = alone.head();
                    JsonNode later = logHead(b, 1);
                    one.verifyConsistency(logKey.verify(LogJson.head(later)), LogJson.consistency(later));
                }
            }
        }
    }

    @Test
    void modesAreNamedAsOnTheCommandLine() {
        for (Misbehavior.Mode mode : Misbehavior.Mode.values()) {
            assertThat(Misbehavior.Mode.parse(mode.flag())).contains(mode);
        }
        assertThat(Misbehavior.Mode.values()).extracting(Misbehavior.Mode::flag).containsExactly("substitute-key",
                "substitute-key-logged", "split-view", "rollback", "drop-entry", "bad-proof", "inject-device");
        assertThat(Misbehavior.Mode.parse("SPLIT-VIEW")).contains(Misbehavior.Mode.SPLIT_VIEW);
        assertThat(Misbehavior.Mode.parse("split_view")).isEmpty();
        assertThat(Misbehavior.Mode.parse(null)).isEmpty();
    }
}
