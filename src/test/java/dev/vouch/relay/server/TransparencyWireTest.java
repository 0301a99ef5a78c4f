package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.LogJson.Proven;
import dev.vouch.transparency.InvalidTreeHeadException;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transparency log on the wire (docs/transparency.md, "On the wire"), against a real relay:
 * every served key comes with a proof that a client can check with the pure functions and the
 * pinned log key, heads extend each other, entries come in order, and the log and its key survive
 * a restart.
 */
class TransparencyWireTest {
    @TempDir
    Path data;
    RelayFixture fixture;
    RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        relay = fixture.relay;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static JsonNode logHead(TestClient client, long from) throws Exception {
        return client.ok(new Frames.LogHead(client.nextId(), from));
    }

    private static JsonNode logEntries(TestClient client, long from, int limit) throws Exception {
        return client.ok(new Frames.LogEntries(client.nextId(), from, limit));
    }

    /** The entry, checked as a client checks it: signed head, inclusion, handle and the served keys. */
    private Proven provenFor(String handle, JsonNode body, byte[] servedDevicesHash) throws Exception {
        Proven log = LogJson.log(body);
        log.verify(relay.logKey());
        assertThat(log.entry().handle()).isEqualTo(handle);
        assertThat(log.entry().accountKey()).isEqualTo(LogJson.accountKey(body));
        assertThat(log.entry().deviceListHash()).isEqualTo(servedDevicesHash);
        return log;
    }

    @Test
    void lookupAndFetchBundlesProveTheHandlesNewestEntryAndItNamesTheServedKeys() throws Exception {
        TestDevice alice1 = new TestDevice("alice");
        TestDevice alice2 = new TestDevice("alice", 2, alice1.account);
        TestDevice bob = new TestDevice("bob");
        try (TestClient a1 = alice1.registered(relay); TestClient a2 = alice2.registered(relay);
             TestClient b = bob.registered(relay)) {
            a1.ok(alice1.preKeys(a1, 1, 2, 2, true));
            a2.ok(alice2.preKeys(a2, 1, 2, 2, true));

            JsonNode found = b.ok(new Frames.Lookup(b.nextId(), "ALICE"));
            Proven looked = provenFor("alice", found, LogJson.lookupDevicesHash(found));
            assertThat(looked.index()).isEqualTo(1);
            assertThat(looked.entry().version()).isEqualTo(2);
            assertThat(looked.head().size()).isEqualTo(3);

            JsonNode bundles = b.ok(new Frames.FetchBundles(b.nextId(), "alice"));
            assertThat(bundles.get("bundles")).hasSize(2);
            Proven fetched = provenFor("alice", bundles, LogJson.bundleDevicesHash(bundles));
            assertThat(fetched.entry()).isEqualTo(looked.entry());

            Proven own = provenFor("bob", b.ok(new Frames.Lookup(b.nextId(), "bob")),
                    LogJson.lookupDevicesHash(b.ok(new Frames.Lookup(b.nextId(), "bob"))));
            assertThat(own.index()).isEqualTo(2);
            assertThat(own.entry().version()).isEqualTo(1);

            // a head signed by another key is refused by the client's check
            LogKey other = dev.vouch.transparency.log.LogSigner.generate(TestDevice.RANDOM).logKey();
            assertThatThrownBy(() -> other.verify(looked.signed())).isInstanceOf(InvalidTreeHeadException.class);
        }
        assertThat(fixture.events()).doesNotContain("alice");
    }

    @Test
    void newAccountsNewDevicesAndReplacedDeviceKeysAreLoggedAndARepeatedRegistrationIsNot() throws Exception {
        TestDevice alice = new TestDevice("alice");
        TestDevice bob = new TestDevice("bob");
        try (TestClient b = bob.registered(relay)) {
            alice.registered(relay).close();
            assertThat(LogJson.head(logHead(b, 0)).head().size()).isEqualTo(2);

            // access-key rotation: the same device again
            TestDevice.RANDOM.nextBytes(alice.accessKey);
            alice.registered(relay).close();
            assertThat(LogJson.head(logHead(b, 0)).head().size()).isEqualTo(2);

            new TestDevice("alice", 2, alice.account).registered(relay).close();
            // device 1 reinstalled: the same account key binds a new device key to the same id
            TestDevice reinstalled = new TestDevice("alice", 1, alice.account);
            try (TestClient r = TestClient.connect(relay)) {
                r.ok(reinstalled.register(r));
            }
            // another account key for the handle: refused, nothing logged
            try (TestClient m = TestClient.connect(relay)) {
                m.error(new TestDevice("alice").register(m), ErrorCode.HANDLE_TAKEN);
            }

            List<Proven> entries = LogJson.entries(logEntries(b, 0, 100));
            assertThat(entries).extracting(p -> p.entry().handle()).containsExactly("bob", "alice", "alice", "alice");
            assertThat(entries).extracting(p -> p.entry().version()).containsExactly(1L, 1L, 2L, 3L);
            assertThat(entries).extracting(p -> p.entry().accountKey()).containsOnly(bob.account.publicKey(),
                    alice.account.publicKey());

            JsonNode found = b.ok(new Frames.Lookup(b.nextId(), "alice"));
            assertThat(LogJson.bytes(found.get("devices").get(0).get("deviceKey")))
                    .isEqualTo(reinstalled.identity.publicKey().serialize());
            Proven log = provenFor("alice", found, LogJson.lookupDevicesHash(found));
            assertThat(log.entry()).isEqualTo(entries.get(3).entry());

            // the replaced key is stale and no longer authenticates
            b.error(new Frames.Send(b.nextId(), "alice", 1, "x".getBytes(StandardCharsets.UTF_8), null,
                    alice.identity.publicKey().serialize()), ErrorCode.STALE_DEVICE);
            try (TestClient old = TestClient.connect(relay)) {
                old.error(alice.authenticate(old), ErrorCode.BAD_SIGNATURE);
            }
        }
    }

    @Test
    void logHeadProvesThatTheNewHeadExtendsTheOneTheClientHad() throws Exception {
        TestDevice bob = new TestDevice("bob");
        try (TestClient b = bob.registered(relay)) {
            new TestDevice("alice").registered(relay).close();
            JsonNode first = logHead(b, 0);
            assertThat(first.has("consistency")).isFalse();
            TreeHead old = relay.logKey().verify(LogJson.head(first));
            assertThat(old.size()).isEqualTo(2);

            for (String handle : List.of("carol", "dave", "erin")) {
                new TestDevice(handle).registered(relay).close();
            }
            JsonNode later = logHead(b, 2);
            TreeHead newer = relay.logKey().verify(LogJson.head(later));
            assertThat(newer.size()).isEqualTo(5);
            old.verifyConsistency(newer, LogJson.consistency(later));
            ConsistencyProof fromOne = LogJson.consistency(logHead(b, 1));
            assertThat(fromOne.size1()).isEqualTo(1);
            assertThat(fromOne.size2()).isEqualTo(5);

            // from the head's own size: nothing to prove
            JsonNode same = logHead(b, 5);
            assertThat(same.has("consistency")).isFalse();
            assertThat(same.size()).isEqualTo(1);
            assertThat(LogJson.head(same).head().size()).isEqualTo(5);

            Frames.Error beyond = b.error(new Frames.LogHead(b.nextId(), 6), ErrorCode.BAD_FRAME);
            assertThat(beyond.message()).contains("beyond");
        }
        try (TestClient anonymous = TestClient.connect(relay)) {
            anonymous.error(new Frames.LogHead(anonymous.nextId(), 0), ErrorCode.UNAUTHENTICATED);
            anonymous.error(new Frames.LogEntries(anonymous.nextId(), 0, 1), ErrorCode.UNAUTHENTICATED);
        }
    }

    @Test
    void logEntriesAreContiguousEachProvenAgainstTheAnswersHead() throws Exception {
        List<String> handles = List.of("user0", "user1", "user2", "user3", "user4", "user5", "user6");
        TestDevice watcher = new TestDevice(handles.get(0));
        try (TestClient w = watcher.registered(relay)) {
            for (String handle : handles.subList(1, handles.size())) {
                new TestDevice(handle).registered(relay).close();
            }
            List<Proven> first = LogJson.entries(logEntries(w, 0, 3));
            List<Proven> rest = LogJson.entries(logEntries(w, 3, 1000));
            List<Proven> all = new ArrayList<>(first);
            all.addAll(rest);
            assertThat(first).hasSize(3);
            assertThat(all).extracting(Proven::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(all).extracting(p -> p.entry().handle()).containsExactlyElementsOf(handles);
            for (Proven p : all) {
                assertThat(p.verify(relay.logKey()).size()).isEqualTo(7);
            }

            JsonNode end = logEntries(w, 7, 5);
            assertThat(end.get("entries")).isEmpty();
            assertThat(LogJson.head(end).head().size()).isEqualTo(7);
            w.error(new Frames.LogEntries(w.nextId(), 8, 1), ErrorCode.BAD_FRAME);
        }
        for (String limit : List.of("0", "1001", "-1", "1.5", "\"10\"", "null")) {
            try (TestClient w = watcher.authenticated(relay)) {
                long id = w.nextId();
                w.sendText("{\"type\":\"logEntries\",\"id\":" + id + ",\"from\":0,\"limit\":" + limit + "}");
                assertThat(w.answerTo(id)).as(limit).isInstanceOfSatisfying(Frames.Error.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME));
            }
        }
    }

    @Test
    void headsAreSignedOnDemandAndReusedUntilTheLogGrowsOrAMinutePasses() throws Exception {
        TestDevice bob = new TestDevice("bob");
        try (TestClient b = bob.registered(relay)) {
            SignedTreeHead first = LogJson.head(logHead(b, 0));
            assertThat(first.head().timestamp()).isEqualTo(fixture.clock.millis());
            fixture.clock.advance(Duration.ofSeconds(59));
            assertThat(LogJson.head(logHead(b, 0))).isEqualTo(first);
            assertThat(LogJson.log(b.ok(new Frames.Lookup(b.nextId(), "bob"))).signed()).isEqualTo(first);

            fixture.clock.advance(Duration.ofSeconds(1));
            SignedTreeHead aMinuteLater = LogJson.head(logHead(b, 0));
            assertThat(aMinuteLater.head().timestamp()).isEqualTo(fixture.clock.millis());
            assertThat(aMinuteLater.head().size()).isEqualTo(1);

            new TestDevice("alice").registered(relay).close();
            SignedTreeHead grown = LogJson.head(logHead(b, 0));
            assertThat(grown.head().size()).isEqualTo(2);
            relay.logKey().verify(grown);
        }
    }

    @Test
    void theLogAndItsKeySurviveARestartAndTheInviteCarriesTheKey() throws Exception {
        TestDevice bob = new TestDevice("bob");
        bob.registered(relay).close();
        new TestDevice("alice").registered(relay).close();
        LogKey key = relay.logKey();
        assertThat(relay.logKeyCreated()).isTrue();
        TreeHead before;
        try (TestClient b = bob.authenticated(relay)) {
            before = key.verify(LogJson.head(logHead(b, 0)));
        }
        Invite invite = Invite.parse(relay.invite("127.0.0.1", fixture.clock.instant().plus(Duration.ofDays(1))).link(),
                fixture.clock.instant());
        assertThat(invite.logKey()).hasValueSatisfying(k -> assertThat(new LogKey(k)).isEqualTo(key));
        Path keyFile = data.resolve(LogKeyFile.FILE_NAME);
        assertThat(Files.readString(keyFile)).contains("VOUCH LOG KEY");
        if (Files.getFileAttributeView(keyFile, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        }
        fixture.close();

        fixture = new RelayFixture(data);
        relay = fixture.relay;
        assertThat(relay.logKey()).isEqualTo(key);
        assertThat(relay.logKeyCreated()).isFalse();
        new TestDevice("carol").registered(relay).close();
        try (TestClient b = bob.authenticated(relay)) {
            JsonNode later = logHead(b, before.size());
            TreeHead after = key.verify(LogJson.head(later));
            assertThat(after.size()).isEqualTo(3);
            before.verifyConsistency(after, LogJson.consistency(later));
            JsonNode found = b.ok(new Frames.Lookup(b.nextId(), "alice"));
            LogEntry alice = provenFor("alice", found, LogJson.lookupDevicesHash(found)).entry();
            assertThat(alice.version()).isEqualTo(1);
        }
    }
}
