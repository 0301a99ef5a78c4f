package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The relay over real TLS on loopback, one behaviour of docs/relay-protocol.md per test. */
class RelayServerTest {
    @TempDir
    Path data;
    RelayFixture fixture;
    RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        data = data.resolve("relay"); // a folder the relay creates, so it makes it owner-only
        fixture = new RelayFixture(data);
        relay = fixture.relay;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PreKeyBundle bundle(JsonNode body, int index) throws Exception {
        return TestClient.bundle(body, index);
    }

    @Test
    void healthAnswersOverPinnedTls() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedTls.context(relay.spkiPin())).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + relay.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"protocol\":1}");
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + relay.port() + "/nothing")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        // a client pinning another key does not get through
        byte[] wrongPin = relay.spkiPin();
        wrongPin[0] ^= 1;
        HttpClient wrong = HttpClient.newBuilder().sslContext(PinnedTls.context(wrongPin)).build();
        assertThatThrownBy(() -> wrong.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + relay.port()
                + "/health")).build(), HttpResponse.BodyHandlers.ofString())).rootCause()
                .hasMessageContaining("relay key pin mismatch");
    }

    @Test
    void onlyTls13IsAccepted() throws Exception {
        try (SSLSocket tls12 = (SSLSocket) PinnedTls.context(relay.spkiPin(), "TLSv1.2").getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls12.setSoTimeout(10_000);
            assertThatThrownBy(tls12::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        try (SSLSocket tls13 = (SSLSocket) PinnedTls.context(relay.spkiPin(), "TLSv1.3").getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            tls13.setSoTimeout(10_000);
            tls13.startHandshake();
            assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void helloCarriesAFreshChallengeAndTheTime() throws Exception {
        try (TestClient a = TestClient.connect(relay); TestClient b = TestClient.connect(relay)) {
            assertThat(a.hello.protocol()).isEqualTo(1);
            assertThat(a.hello.challenge()).hasSize(32).isNotEqualTo(b.hello.challenge());
            assertThat(a.hello.time()).isEqualTo(fixture.clock.millis());
        }
    }

    @Test
    void registerThenAuthenticateOnAnotherConnection() throws Exception {
        TestDevice alice = new TestDevice("Alice");
        try (TestClient first = TestClient.connect(relay)) {
            assertThat(first.ok(alice.register(first)).isEmpty()).isTrue();
            // authenticated now: a second register or authenticate on it is refused
            first.error(alice.authenticate(first), ErrorCode.FORBIDDEN);
            assertThat(first.ok(new Frames.PreKeyCounts(first.nextId())).get("oneTime").asInt()).isZero();
        }
        TestDevice aliceLower = new TestDevice("alice", 1, alice.account);
        try (TestClient second = TestClient.connect(relay)) {
            // a signature over another connection's challenge does not authenticate
            try (TestClient other = TestClient.connect(relay)) {
                second.error(alice.authenticate(other), ErrorCode.BAD_SIGNATURE);
            }
            // another device key signing for alice's device does not either
            second.error(aliceLower.authenticate(second), ErrorCode.BAD_SIGNATURE);
            second.error(new Frames.PreKeyCounts(second.nextId()), ErrorCode.UNAUTHENTICATED);
            second.ok(alice.authenticate(second));
            second.ok(new Frames.PreKeyCounts(second.nextId()));
        }
        assertThat(fixture.events()).contains("event=registered outcome=created").contains("event=authenticated")
                .doesNotContain("alice");
    }

    @Test
    void registrationChecksBothSignaturesAndBothKeys() throws Exception {
        TestDevice alice = new TestDevice("alice");
        try (TestClient client = TestClient.connect(relay)) {
            Frames.Register good = alice.register(client);
            byte[] badBinding = good.deviceBinding();
            badBinding[5] ^= 1;
            client.error(new Frames.Register(client.nextId(), good.handle(), good.accountKey(), 1, good.deviceKey(),
                    badBinding, good.accessKey(), good.signature()), ErrorCode.BAD_SIGNATURE);
            byte[] badSignature = good.signature();
            badSignature[0] ^= 1;
            client.error(new Frames.Register(client.nextId(), good.handle(), good.accountKey(), 1, good.deviceKey(),
                    good.deviceBinding(), good.accessKey(), badSignature), ErrorCode.BAD_SIGNATURE);
            // the binding covers the device id: claiming device 2 with device 1's binding fails
            client.error(new Frames.Register(client.nextId(), good.handle(), good.accountKey(), 2, good.deviceKey(),
                    good.deviceBinding(), good.accessKey(), good.signature()), ErrorCode.BAD_SIGNATURE);
            // keys that do not decode
            client.error(new Frames.Register(client.nextId(), good.handle(), new byte[34], 1, good.deviceKey(),
                    good.deviceBinding(), good.accessKey(), good.signature()), ErrorCode.BAD_FRAME);
            client.error(new Frames.Register(client.nextId(), good.handle(), good.accountKey(), 1, good.accountKey(),
                    good.deviceBinding(), good.accessKey(), good.signature()), ErrorCode.BAD_FRAME);
            client.error(new Frames.Authenticate(client.nextId(), "alice", 1, new byte[64]), ErrorCode.UNKNOWN_ACCOUNT);
            client.ok(alice.register(client));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "1alice", "alice.", "alice-", "al ice", "al\u00E9x", "a234567890123456789012345678901234"})
    void handleRulesAreEnforced(String handle) throws Exception {
        TestDevice device = new TestDevice("valid");
        try (TestClient client = TestClient.connect(relay)) {
            byte[] signature = device.identity.sign(bytes("anything"));
            client.error(new Frames.Register(client.nextId(), handle, device.account.publicKey().serialize(), 1,
                    device.identity.publicKey().serialize(), new byte[64], device.accessKey, signature),
                    ErrorCode.HANDLE_INVALID);
            client.error(new Frames.Send(client.nextId(), handle, 1, new byte[] {1}, new byte[16]), ErrorCode.HANDLE_INVALID);
        }
    }

    @Test
    void aTakenHandleStaysWithItsAccountAndTheSameDeviceMayRotateItsAccessKey() throws Exception {
        TestDevice alice = new TestDevice("alice");
        alice.registered(relay).close();
        TestDevice mallory = new TestDevice("alice");
        try (TestClient client = TestClient.connect(relay)) {
            client.error(mallory.register(client), ErrorCode.HANDLE_TAKEN);
            client.error(mallory.register(client, "ALICE"), ErrorCode.HANDLE_TAKEN);
        }
        try (TestClient client = TestClient.connect(relay)) {
            client.ok(alice.sendTo(client, new byte[] {1})); // the relay now holds alice's device in its cache
        }
        // alice registers again with a new access key: the old one stops working at once
        byte[] oldAccessKey = alice.accessKey.clone();
        TestDevice.RANDOM.nextBytes(alice.accessKey);
        try (TestClient client = TestClient.connect(relay)) {
            client.ok(alice.register(client));
            client.error(new Frames.Send(client.nextId(), "alice", 1, new byte[] {1}, oldAccessKey), ErrorCode.FORBIDDEN);
            client.ok(alice.sendTo(client, new byte[] {1}));
        }
        // a second device of the same account joins under the same handle
        TestDevice second = new TestDevice("alice", 2, alice.account);
        second.registered(relay).close();
    }

    @Test
    void registrationIsRateLimitedPerAddressOnTheInjectedClock() throws Exception {
        TestDevice device = new TestDevice("valid");
        try (TestClient client = TestClient.connect(relay)) {
            Frames.Register good = device.register(client);
            for (int i = 0; i < 10; i++) {
                client.error(new Frames.Register(client.nextId(), "x", good.accountKey(), 1, good.deviceKey(),
                        good.deviceBinding(), good.accessKey(), good.signature()), ErrorCode.HANDLE_INVALID);
            }
            client.error(device.register(client), ErrorCode.RATE_LIMITED);
            fixture.clock.advance(Duration.ofSeconds(30));
            client.error(device.register(client), ErrorCode.RATE_LIMITED);
            fixture.clock.advance(Duration.ofSeconds(31));
            client.ok(device.register(client));
        }
        assertThat(fixture.events()).contains("event=rate-limited");
    }

    @Test
    void requestsThatNeedADeviceAreRefusedUnauthenticated() throws Exception {
        TestDevice alice = new TestDevice("alice");
        try (TestClient client = TestClient.connect(relay)) {
            client.error(alice.preKeys(client, 1, 1, 1, true), ErrorCode.UNAUTHENTICATED);
            client.error(new Frames.PreKeyCounts(client.nextId()), ErrorCode.UNAUTHENTICATED);
            client.error(new Frames.FetchBundles(client.nextId(), "alice"), ErrorCode.UNAUTHENTICATED);
            client.error(new Frames.Ack(client.nextId(), "whatever"), ErrorCode.UNAUTHENTICATED);
        }
    }

    @Test
    void prekeysAreVerifiedCountedAndHandedOutOnceThenTheLastResortKey() throws Exception {
        TestDevice bob = new TestDevice("bob");
        TestDevice alice = new TestDevice("alice");
        try (TestClient bobClient = bob.registered(relay); TestClient aliceClient = alice.registered(relay)) {
            // keys signed by another device are refused and nothing is stored
            Frames.UploadPreKeys forged = alice.preKeys(bobClient, 1, 2, 2, true);
            bobClient.error(forged, ErrorCode.BAD_SIGNATURE);
            JsonNode counts = bobClient.ok(new Frames.PreKeyCounts(bobClient.nextId()));
            assertThat(counts.get("oneTime").asInt()).isZero();
            // a one-time key marked last resort is a malformed upload
            Frames.UploadPreKeys swapped = bob.preKeys(bobClient, 1, 0, 0, true);
            bobClient.error(new Frames.UploadPreKeys(bobClient.nextId(), swapped.signedPreKey(), List.of(),
                    List.of(swapped.lastResortKemPreKey()), null), ErrorCode.BAD_FRAME);

            JsonNode uploaded = bobClient.ok(bob.preKeys(bobClient, 1, 2, 1, true));
            assertThat(uploaded.get("oneTime").asInt()).isEqualTo(2);
            assertThat(uploaded.get("kem").asInt()).isEqualTo(1);

            JsonNode first = aliceClient.ok(new Frames.FetchBundles(aliceClient.nextId(), "BOB"));
            assertThat(Base64.getDecoder().decode(first.get("accountKey").asText()))
                    .isEqualTo(bob.account.publicKey().serialize());
            PreKeyBundle b1 = bundle(first, 0);
            assertThat(b1.deviceId()).isEqualTo(1);
            assertThat(b1.identityKey()).isEqualTo(bob.identity.publicKey());
            assertThat(first.get("bundles").get(0).size()).isEqualTo(2);
            assertThat(bob.account.publicKey().verify(AuthStrings.deviceBinding("bob", 1, b1.identityKey()),
                    TestClient.bundleBinding(first, 0))).as("the bundle carries the device's binding").isTrue();
            assertThat(b1.oneTimePreKey()).isPresent();
            assertThat(b1.kemPreKey().lastResort()).isFalse();
            JsonNode after = bobClient.ok(new Frames.PreKeyCounts(bobClient.nextId()));
            assertThat(after.get("oneTime").asInt()).isEqualTo(1);
            assertThat(after.get("kem").asInt()).isZero();

            // the one-time ML-KEM keys ran out: no one-time X25519 key and the last-resort ML-KEM key
            PreKeyBundle b2 = bundle(aliceClient.ok(new Frames.FetchBundles(aliceClient.nextId(), "bob")), 0);
            assertThat(b2.oneTimePreKey()).isEmpty();
            assertThat(b2.kemPreKey().lastResort()).isTrue();
            assertThat(bobClient.ok(new Frames.PreKeyCounts(bobClient.nextId())).get("oneTime").asInt()).isEqualTo(1);

            // a fresh ML-KEM key pairs with the X25519 key that was kept
            bobClient.ok(bob.preKeys(bobClient, 100, 0, 1, false));
            PreKeyBundle b3 = bundle(aliceClient.ok(new Frames.FetchBundles(aliceClient.nextId(), "bob")), 0);
            assertThat(b3.oneTimePreKey()).isPresent();
            assertThat(b3.oneTimePreKey().get().id()).isNotEqualTo(b1.oneTimePreKey().get().id());
            assertThat(b3.kemPreKey().lastResort()).isFalse();
            PreKeyBundle b4 = bundle(aliceClient.ok(new Frames.FetchBundles(aliceClient.nextId(), "bob")), 0);
            assertThat(b4.oneTimePreKey()).isEmpty();
            assertThat(b4.kemPreKey().lastResort()).isTrue();

            aliceClient.error(new Frames.FetchBundles(aliceClient.nextId(), "nobody"), ErrorCode.UNKNOWN_ACCOUNT);
        }
    }

    @Test
    void concurrentFetchesNeverHandOutAPrekeyTwice() throws Exception {
        TestDevice bob = new TestDevice("bob");
        int keys = 40;
        try (TestClient bobClient = bob.registered(relay)) {
            bobClient.ok(bob.preKeys(bobClient, 1, keys, keys, true));
        }
        int fetchers = 8;
        int perFetcher = 7;
        List<TestClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(fetchers);
        try {
            for (int i = 0; i < fetchers; i++) {
                clients.add(new TestDevice("fetcher" + i).registered(relay));
            }
            List<Future<List<PreKeyBundle>>> futures = new ArrayList<>();
            for (TestClient client : clients) {
                Callable<List<PreKeyBundle>> fetch = () -> {
                    List<PreKeyBundle> got = new ArrayList<>();
                    for (int i = 0; i < perFetcher; i++) {
                        got.add(bundle(client.ok(new Frames.FetchBundles(client.nextId(), "bob")), 0));
                    }
                    return got;
                };
                futures.add(pool.submit(fetch));
            }
            List<Integer> oneTimeIds = new ArrayList<>();
            List<Integer> kemIds = new ArrayList<>();
            int lastResort = 0;
            for (Future<List<PreKeyBundle>> f : futures) {
                for (PreKeyBundle b : f.get(120, TimeUnit.SECONDS)) {
                    b.oneTimePreKey().ifPresent(k -> oneTimeIds.add(k.id()));
                    if (b.kemPreKey().lastResort()) {
                        lastResort++;
                    } else {
                        kemIds.add(b.kemPreKey().id());
                    }
                }
            }
            assertThat(new HashSet<>(oneTimeIds)).hasSize(oneTimeIds.size()).hasSize(keys);
            assertThat(new HashSet<>(kemIds)).hasSize(kemIds.size()).hasSize(keys);
            assertThat(lastResort).isEqualTo(fetchers * perFetcher - keys);
            assertThat(oneTimeIds).hasSize(keys); // a fallback bundle never spends a one-time X25519 key
        } finally {
            pool.shutdownNow();
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void envelopesWaitForAnOfflineDeviceAndGoOnAck() throws Exception {
        TestDevice bob = new TestDevice("bob");
        bob.registered(relay).close();
        try (TestClient sender = TestClient.connect(relay)) { // unauthenticated: sealed sender
            JsonNode sent = sender.ok(bob.sendTo(sender, bytes("first")));
            assertThat(sent.get("time").asLong()).isEqualTo(fixture.clock.millis());
            sender.ok(bob.sendTo(sender, bytes("second")));
        }
        String firstId;
        try (TestClient bobClient = bob.authenticated(relay)) {
            Frames.Deliver first = bobClient.deliver();
            Frames.Deliver second = bobClient.deliver();
            assertThat(first.envelope()).isEqualTo(bytes("first"));
            assertThat(second.envelope()).isEqualTo(bytes("second"));
            assertThat(first.time()).isEqualTo(fixture.clock.millis());
            assertThat(first.envelopeId()).isNotEqualTo(second.envelopeId());
            firstId = first.envelopeId();
            bobClient.ok(new Frames.Ack(bobClient.nextId(), firstId));
            bobClient.ok(new Frames.Ack(bobClient.nextId(), firstId)); // acking twice is harmless
        }
        // on the next connection only the unacknowledged envelope comes again
        try (TestClient bobClient = bob.authenticated(relay)) {
            Frames.Deliver again = bobClient.deliver();
            assertThat(again.envelope()).isEqualTo(bytes("second"));
            bobClient.ok(new Frames.Ack(bobClient.nextId(), again.envelopeId()));
            bobClient.ok(bob.sendTo(bobClient, bytes("marker")));
            assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("marker"));
        }
    }

    @Test
    void aConnectedDeviceGetsEnvelopesPushedAtOnce() throws Exception {
        TestDevice bob = new TestDevice("bob");
        try (TestClient bobClient = bob.registered(relay); TestClient sender = TestClient.connect(relay)) {
            for (int i = 0; i < 3; i++) {
                sender.ok(bob.sendTo(sender, bytes("live " + i)));
                assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("live " + i));
            }
        }
    }

    @Test
    void aSecondConnectionForTheSameDeviceTakesOver() throws Exception {
        TestDevice bob = new TestDevice("bob");
        try (TestClient old = bob.registered(relay); TestClient fresh = bob.authenticated(relay);
             TestClient sender = TestClient.connect(relay)) {
            assertThat(old.awaitClose()).isEqualTo(1000);
            sender.ok(bob.sendTo(sender, bytes("to the new one")));
            assertThat(fresh.deliver().envelope()).isEqualTo(bytes("to the new one"));
        }
    }

    @Test
    void theWrongAccessKeyStoresNothing() throws Exception {
        TestDevice bob = new TestDevice("bob");
        try (TestClient bobClient = bob.registered(relay); TestClient sender = TestClient.connect(relay)) {
            byte[] wrong = bob.accessKey.clone();
            wrong[15] ^= 1;
            sender.error(new Frames.Send(sender.nextId(), "bob", 1, bytes("spam"), wrong), ErrorCode.FORBIDDEN);
            sender.error(new Frames.Send(sender.nextId(), "bob", 2, bytes("spam"), bob.accessKey),
                    ErrorCode.UNKNOWN_ACCOUNT);
            sender.error(new Frames.Send(sender.nextId(), "nobody", 1, bytes("spam"), bob.accessKey),
                    ErrorCode.UNKNOWN_ACCOUNT);
            sender.ok(bob.sendTo(sender, bytes("real")));
            assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("real"));
        }
    }

    @Test
    void ackingAnotherDevicesEnvelopeDoesNotTouchIt() throws Exception {
        TestDevice alice = new TestDevice("alice");
        TestDevice bob = new TestDevice("bob");
        alice.registered(relay).close();
        String bobsEnvelope;
        try (TestClient bobClient = bob.registered(relay); TestClient sender = TestClient.connect(relay)) {
            sender.ok(bob.sendTo(sender, bytes("for bob")));
            bobsEnvelope = bobClient.deliver().envelopeId();
        }
        try (TestClient aliceClient = alice.authenticated(relay)) {
            aliceClient.ok(new Frames.Ack(aliceClient.nextId(), bobsEnvelope));
        }
        try (TestClient bobClient = bob.authenticated(relay)) {
            Frames.Deliver still = bobClient.deliver();
            assertThat(still.envelopeId()).isEqualTo(bobsEnvelope);
        }
    }

    @Test
    void envelopesExpireAfterThirtyDays() throws Exception {
        TestDevice bob = new TestDevice("bob");
        bob.registered(relay).close();
        try (TestClient sender = TestClient.connect(relay)) {
            sender.ok(bob.sendTo(sender, bytes("old")));
            fixture.clock.advance(Duration.ofDays(29));
            sender.ok(bob.sendTo(sender, bytes("recent")));
        }
        fixture.clock.advance(Duration.ofDays(1));
        assertThat(relay.sweepExpired()).isZero(); // exactly 30 days old: not yet
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(relay.sweepExpired()).isEqualTo(1);
        try (TestClient bobClient = bob.authenticated(relay)) {
            assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("recent"));
            bobClient.ok(bob.sendTo(bobClient, bytes("marker")));
            assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("marker"));
        }
        assertThat(fixture.events()).contains("event=expired envelopes=1");
    }

    @Test
    void tlsIdentityIsKeptOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        byte[] pin = relay.spkiPin();
        Path key = data.resolve(TlsIdentity.KEY_FILE);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileAttributeView(key, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("relay.db"))))
                    .isEqualTo("rw-------");
        }
        TestDevice bob = new TestDevice("bob");
        bob.registered(relay).close();
        fixture.close();
        fixture = new RelayFixture(data);
        relay = fixture.relay;
        assertThat(relay.spkiPin()).isEqualTo(pin);
        bob.authenticated(relay).close();
    }

    @Test
    void anAccountWithTwoDevicesGetsABundlePerDevice() throws Exception {
        TestDevice alice1 = new TestDevice("alice");
        TestDevice alice2 = new TestDevice("alice", 2, alice1.account);
        try (TestClient c1 = alice1.registered(relay); TestClient c2 = alice2.registered(relay);
             TestClient bob = new TestDevice("bob").registered(relay)) {
            c1.ok(alice1.preKeys(c1, 1, 1, 1, true));
            c2.ok(alice2.preKeys(c2, 1, 1, 1, true));
            JsonNode body = bob.ok(new Frames.FetchBundles(bob.nextId(), "alice"));
            assertThat(body.get("bundles")).hasSize(2);
            Set<Integer> ids = Set.of(bundle(body, 0).deviceId(), bundle(body, 1).deviceId());
            assertThat(ids).containsExactlyInAnyOrder(1, 2);
        }
    }

    @Test
    void stoppingClosesConnectionsAsGoingAwayAndKeepsTheMailbox() throws Exception {
        TestDevice bob = new TestDevice("bob");
        TestClient bobClient = bob.registered(relay);
        try (TestClient sender = TestClient.connect(relay)) {
            sender.ok(bob.sendTo(sender, bytes("kept")));
            bobClient.deliver();
            fixture.close();
            assertThat(bobClient.awaitClose()).isEqualTo(1001);
            assertThat(sender.awaitClose()).isEqualTo(1001);
        }
        assertThat(fixture.events()).contains("event=stopping").contains("event=stopped");
        fixture = new RelayFixture(data);
        relay = fixture.relay;
        try (TestClient again = bob.authenticated(relay)) {
            assertThat(again.deliver().envelope()).isEqualTo(bytes("kept"));
        }
    }

    @Test
    void anExistingSharedDataFolderIsLeftAloneButWarnedAbout() throws Exception {
        Path shared = data.resolveSibling("shared");
        Files.createDirectories(shared);
        if (Files.getFileAttributeView(shared, java.nio.file.attribute.PosixFileAttributeView.class) == null) {
            return; // no POSIX permissions here: nothing to warn about
        }
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (RelayFixture other = new RelayFixture(shared)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxr-xr-x");
            assertThat(other.events()).contains("event=warning");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("relay.db"))))
                    .isEqualTo("rw-------");
        }
        assertThat(fixture.events()).doesNotContain("event=warning");
    }
}
