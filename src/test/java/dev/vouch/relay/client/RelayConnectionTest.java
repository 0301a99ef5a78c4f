package dev.vouch.relay.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.KemPreKeyPublic;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.keys.SignedPreKeyPublic;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.LoopbackRelay.Conn;
import dev.vouch.relay.client.LoopbackRelay.Keys;
import dev.vouch.relay.client.RelayConnection.State;
import dev.vouch.testing.Party;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.MerkleTree;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RelayConnection} against {@link LoopbackRelay}, a scripted relay on loopback TLS: pinning,
 * TLS 1.3 only, the protocol-version check, request/response correlation, fragmented frames,
 * reconnecting with backoff and re-authentication, and timeouts. Time is virtual
 * ({@link ManualScheduler}); the tests wait only for events (a frame, a state change), never for
 * time to pass.
 */
class RelayConnectionTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    @TempDir
    static Path dir;
    private static Keys keys;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final BlockingQueue<State> states = new LinkedBlockingQueue<>();
    private final BlockingQueue<Frames.Deliver> delivered = new LinkedBlockingQueue<>();
    private final DeviceIdentity device = DeviceIdentity.generate(new SecureRandom());
    private LoopbackRelay relay;
    private RelayConnection connection;

    /** The certificate names a host that is not the one we connect to: only the pin may matter. */
    @BeforeAll
    static void makeTheRelayKey() throws Exception {
        keys = Keys.generate(dir, "relay.example.invalid");
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private RelayConnection connectionTo(LoopbackRelay relay, byte[] pin) {
        Invite invite = new Invite("127.0.0.1", relay.port(), pin, Optional.empty(), Optional.empty());
        RelayConnection.Options options = new RelayConnection.Options(Duration.ofSeconds(10), REQUEST_TIMEOUT,
                Duration.ofSeconds(30), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0), scheduler,
                () -> 0.5);
        connection = new RelayConnection(invite, options, new RelayConnection.Listener() {
            @Override
            public void onDeliver(Frames.Deliver deliver) {
                delivered.add(deliver);
            }

            @Override
            public void onStateChanged(State state, Optional<RelayException> cause) {
                states.add(state);
            }
        });
        return connection;
    }

    /** Connects to a fresh TLS 1.3 relay and plays its hello. */
    private Conn connected() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        CompletableFuture<Void> connect = connectionTo(relay, keys.pin()).connect();
        Conn conn = relay.nextConnection();
        conn.hello();
        connect.get(10, TimeUnit.SECONDS);
        return conn;
    }

    /** Authenticates the test device, playing the relay: the signature must verify over this connection's challenge. */
    private void authenticate(Conn conn, CompletableFuture<Void> done) throws Exception {
        Frames.Authenticate auth = conn.next(Frames.Authenticate.class);
        assertThat(auth.handle()).isEqualTo("alice");
        assertThat(auth.deviceId()).isEqualTo(1);
        assertThat(device.publicKey().verify(AuthStrings.authentication(conn.challenge, "alice", 1), auth.signature()))
                .as("signature over this connection's challenge").isTrue();
        conn.send(new Frames.Ok(auth.id(), JsonNodeFactory.instance.objectNode()));
        if (done != null) {
            done.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits for the client to notice a dropped connection. The JDK's WebSocket normally reports
     * the reset at once; on a loaded machine it has been seen, rarely, not to report it at all, and
     * then the heartbeat is what notices, as it would for a real client: a ping that gets no pong
     * by the next one ends the connection.
     */
    private void awaitDropNoticed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            State state = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (state == State.RECONNECTING) {
                return;
            }
        }
        scheduler.advance(Duration.ofSeconds(30));
        scheduler.advance(Duration.ofSeconds(30));
        awaitState(State.RECONNECTING);
    }

    private void awaitState(State expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            State state = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (state == null) {
                throw new AssertionError("the connection did not reach " + expected + " (now " + connection.state() + ")");
            }
            if (state == expected) {
                return;
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not complete", e);
        }
        throw new AssertionError("the future succeeded but should have failed");
    }

    @Test
    void aMatchingPinConnectsWhateverNameTheCertificateCarries() throws Exception {
        Conn conn = connected();
        assertThat(conn.path).isEqualTo("/v1/websocket");
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void anotherKeyThanThePinnedOneStopsTheConnectionNamingBothPins() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        byte[] otherPin = MessageDigest.getInstance("SHA-256").digest("another key".getBytes(UTF_8));
        Throwable failure = failureOf(connectionTo(relay, otherPin).connect());
        assertThat(failure).isInstanceOf(PinMismatchException.class);
        assertThat(failure.getMessage())
                .contains(B64URL.encodeToString(otherPin))
                .contains(B64URL.encodeToString(keys.pin()))
                .doesNotContain("\n");
        assertThat(((PinMismatchException) failure).presented()).isEqualTo(B64URL.encodeToString(keys.pin()));
        assertThat(connection.state()).isEqualTo(State.FAILED);
    }

    @Test
    void aRelayOfferingOnlyTls12IsRefused() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.2");
        Throwable failure = failureOf(connectionTo(relay, keys.pin()).connect());
        assertThat(failure).isInstanceOf(RelayUnreachableException.class);
        assertThat(relay.nextFailure()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(connection.state()).isEqualTo(State.FAILED);
    }

    @Test
    void aRelayOfAnotherProtocolVersionIsOneClearError() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        CompletableFuture<Void> connect = connectionTo(relay, keys.pin()).connect();
        Conn conn = relay.nextConnection();
        conn.hello(2);
        Throwable failure = failureOf(connect);
        assertThat(failure).isInstanceOf(ProtocolVersionException.class)
                .hasMessageContaining("protocol version 2").hasMessageContaining("version 1");
        assertThat(conn.nextEvent()).isEqualTo("close");
        assertThat(connection.state()).isEqualTo(State.FAILED);
    }

    @Test
    void registrationSignsTheDeviceBindingAndTheChallenge() throws Exception {
        Conn conn = connected();
        AccountIdentity account = AccountIdentity.generate(new SecureRandom());
        byte[] accessKey = new byte[16];
        CompletableFuture<Void> done = connection.register("alice", account, 1, device, accessKey);
        Frames.Register register = conn.next(Frames.Register.class);
        assertThat(AccountIdentityKey.decode(register.accountKey())).isEqualTo(account.publicKey());
        assertThat(DeviceIdentityKey.decode(register.deviceKey())).isEqualTo(device.publicKey());
        assertThat(account.publicKey().verify(AuthStrings.deviceBinding("alice", 1, device.publicKey()),
                register.deviceBinding())).isTrue();
        assertThat(device.publicKey().verify(AuthStrings.authentication(conn.challenge, "alice", 1), register.signature()))
                .isTrue();
        conn.send(new Frames.Error(register.id(), ErrorCode.HANDLE_TAKEN, "taken"));
        Throwable failure = failureOf(done);
        assertThat(failure).isInstanceOf(RelayErrorException.class);
        assertThat(((RelayErrorException) failure).code()).isEqualTo(ErrorCode.HANDLE_TAKEN);
    }

    @Test
    void answersFindTheirRequestsInAnyOrder() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        CompletableFuture<RelayConnection.PreKeyCounts> counts = connection.preKeyCounts();
        CompletableFuture<Void> ack = connection.ack("envelope-7");
        CompletableFuture<Void> refused = connection.ack("envelope-8");
        Frames.PreKeyCounts countsRequest = conn.next(Frames.PreKeyCounts.class);
        Frames.Ack ackRequest = conn.next(Frames.Ack.class);
        Frames.Ack refusedRequest = conn.next(Frames.Ack.class);
        assertThat(List.of(countsRequest.id(), ackRequest.id(), refusedRequest.id())).doesNotHaveDuplicates();

        conn.send(new Frames.Error(refusedRequest.id(), ErrorCode.FORBIDDEN, "not yours"));
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("oneTime", 5).put("kem", 7);
        conn.send(new Frames.Ok(ackRequest.id(), JsonNodeFactory.instance.objectNode()));
        conn.send(new Frames.Ok(countsRequest.id(), body));

        assertThat(counts.get(10, TimeUnit.SECONDS)).isEqualTo(new RelayConnection.PreKeyCounts(5, 7));
        assertThat(ack.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(((RelayErrorException) failureOf(refused)).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ackRequest.envelopeId()).isEqualTo("envelope-7");
    }

    @Test
    void aMessageInSeveralFramesArrivesWhole() throws Exception {
        Conn conn = connected();
        byte[] envelope = new byte[3000];
        new SecureRandom().nextBytes(envelope);
        conn.sendFragmented(dev.vouch.relay.api.Wire.encode(new Frames.Deliver("e-1", envelope, 42)), 3);
        Frames.Deliver deliver = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(deliver).isNotNull();
        assertThat(deliver.envelopeId()).isEqualTo("e-1");
        assertThat(deliver.envelope()).isEqualTo(envelope);
        assertThat(conn.nextEvent()).as("the ping between the fragments is answered").isEqualTo("pong");
        assertThat(delivered).isEmpty();
    }

    @Test
    void aDroppedConnectionComesBackWithBackoffAndAuthenticatesAgain() throws Exception {
        Conn first = connected();
        authenticate(first, connection.authenticate("alice", 1, device));
        CompletableFuture<RelayConnection.PreKeyCounts> inFlight = connection.preKeyCounts();
        first.next(Frames.PreKeyCounts.class);

        first.drop();
        awaitDropNoticed();
        assertThat(failureOf(inFlight)).isInstanceOf(ConnectionLostException.class);
        assertThat(scheduler.pendingDelays()).contains(Duration.ofMillis(750)); // 1 s, jitter 0.5: in [0.5 s, 1 s]

        scheduler.advance(Duration.ofMillis(749));
        assertThat(connection.state()).as("not before its time").isEqualTo(State.RECONNECTING);
        scheduler.advance(Duration.ofMillis(1));
        Conn second = relay.nextConnection();
        second.drop(); // fails before hello: the next delay doubles
        awaitDropNoticed();
        assertThat(scheduler.pendingDelays()).contains(Duration.ofMillis(1500));

        scheduler.advance(Duration.ofMillis(1500));
        Conn third = relay.nextConnection();
        third.drop();
        awaitDropNoticed();
        assertThat(scheduler.pendingDelays()).contains(Duration.ofMillis(3000));

        scheduler.advance(Duration.ofMillis(3000));
        Conn fourth = relay.nextConnection();
        fourth.hello();
        authenticate(fourth, null); // with the new challenge, unprompted
        awaitState(State.CONNECTED);

        CompletableFuture<RelayConnection.PreKeyCounts> after = connection.preKeyCounts();
        Frames.PreKeyCounts request = fourth.next(Frames.PreKeyCounts.class);
        fourth.send(new Frames.Ok(request.id(), JsonNodeFactory.instance.objectNode().put("oneTime", 1).put("kem", 2)));
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(new RelayConnection.PreKeyCounts(1, 2));

        fourth.drop(); // a success resets the backoff
        awaitDropNoticed();
        assertThat(scheduler.pendingDelays()).contains(Duration.ofMillis(750));
    }

    @Test
    void aRefusedReauthenticationStopsTheConnection() throws Exception {
        Conn first = connected();
        authenticate(first, connection.authenticate("alice", 1, device));
        first.drop();
        awaitDropNoticed();
        scheduler.advance(Duration.ofMillis(750));
        Conn second = relay.nextConnection();
        second.hello();
        Frames.Authenticate auth = second.next(Frames.Authenticate.class);
        second.send(new Frames.Error(auth.id(), ErrorCode.UNKNOWN_ACCOUNT, "no such account"));
        awaitState(State.FAILED);
        assertThat(second.nextEvent()).isEqualTo("close");
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(connection.state()).isEqualTo(State.FAILED);
        assertThat(failureOf(connection.preKeyCounts())).isInstanceOf(ConnectionLostException.class);
    }

    @Test
    void closingWhileReconnectingStopsTheAttempts() throws Exception {
        Conn first = connected();
        first.drop();
        awaitDropNoticed();
        connection.close();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(connection.state()).isEqualTo(State.CLOSED);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void anUnansweredRequestTimesOutAndALateAnswerChangesNothing() throws Exception {
        Conn conn = connected();
        CompletableFuture<Void> ack = connection.ack("e-1");
        Frames.Ack request = conn.next(Frames.Ack.class);
        scheduler.advance(REQUEST_TIMEOUT.minusMillis(1));
        assertThat(ack).isNotDone();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(failureOf(ack)).isInstanceOf(RelayTimeoutException.class);

        conn.send(new Frames.Ok(request.id(), JsonNodeFactory.instance.objectNode()));
        CompletableFuture<Void> next = connection.ack("e-2");
        Frames.Ack nextRequest = conn.next(Frames.Ack.class);
        conn.send(new Frames.Ok(nextRequest.id(), JsonNodeFactory.instance.objectNode()));
        assertThat(next.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void aRelayThatNeverSaysHelloTimesOut() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        CompletableFuture<Void> connect = connectionTo(relay, keys.pin()).connect();
        relay.nextConnection();
        scheduler.advance(Duration.ofSeconds(15));
        assertThat(failureOf(connect)).isInstanceOf(RelayTimeoutException.class);
    }

    @Test
    void sealedSendingGoesOverAnUnauthenticatedConnectionOnly() throws Exception {
        Conn conn = connected();
        CompletableFuture<Long> sent = connection.send("bob", 1, new byte[] {1, 2, 3}, new byte[16]);
        Frames.Send send = conn.next(Frames.Send.class);
        assertThat(send.handle()).isEqualTo("bob");
        assertThat(send.envelope()).containsExactly(1, 2, 3);
        conn.send(new Frames.Ok(send.id(), JsonNodeFactory.instance.objectNode().put("time", 1234L)));
        assertThat(sent.get(10, TimeUnit.SECONDS)).isEqualTo(1234L);

        authenticate(conn, connection.authenticate("alice", 1, device));
        assertThat(failureOf(connection.send("bob", 1, new byte[] {1}, new byte[16])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unauthenticated");
    }

    @Test
    void theClientSendsSealedEnvelopesOverItsOtherUnauthenticatedConnection() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        Invite invite = new Invite("127.0.0.1", relay.port(), keys.pin(), Optional.empty(), Optional.empty());
        RelayConnection.Options options = RelayConnection.Options.defaults().withScheduler(scheduler);
        try (RelayClient client = new RelayClient(invite, options, delivered::add)) {
            CompletableFuture<Void> connect = client.connect();
            Conn mailbox = relay.nextConnection();
            mailbox.hello();
            Conn sending = relay.nextConnection();
            sending.hello();
            connect.get(10, TimeUnit.SECONDS);
            authenticate(mailbox, client.authenticate("alice", 1, device));

            CompletableFuture<Long> sent = client.send("bob", 1, new byte[] {7}, new byte[16]);
            Frames.Send send = sending.next(Frames.Send.class);
            sending.send(new Frames.Ok(send.id(), JsonNodeFactory.instance.objectNode().put("time", 5L)));
            assertThat(sent.get(10, TimeUnit.SECONDS)).isEqualTo(5L);

            CompletableFuture<Void> ack = client.ack("e-1");
            Frames.Ack request = mailbox.next(Frames.Ack.class);
            mailbox.send(new Frames.Ok(request.id(), JsonNodeFactory.instance.objectNode()));
            ack.get(10, TimeUnit.SECONDS);

            // first contact, without the access key: over the mailbox connection, which names the sender
            CompletableFuture<Long> identified = client.sendIdentified("bob", 1, new byte[] {8});
            Frames.Send named = mailbox.next(Frames.Send.class);
            assertThat(named.accessKey()).isNull();
            mailbox.send(new Frames.Ok(named.id(), JsonNodeFactory.instance.objectNode().put("time", 6L)));
            assertThat(identified.get(10, TimeUnit.SECONDS)).isEqualTo(6L);

            AccountIdentity bob = AccountIdentity.generate(new SecureRandom());
            CompletableFuture<RelayConnection.Lookup> lookup = client.lookup("bob");
            mailbox.send(new Frames.Ok(mailbox.next(Frames.Lookup.class).id(), lookupBody(bob.publicKey())));
            assertThat(lookup.get(10, TimeUnit.SECONDS).accountKey()).isEqualTo(bob.publicKey());
        }
    }

    @Test
    void aBinaryFrameIsAProtocolErrorAndTheClientReconnects() throws Exception {
        Conn conn = connected();
        conn.sendBinary(new byte[] {1});
        awaitState(State.RECONNECTING);
        assertThat(conn.nextEvent()).isEqualTo("close");
    }

    @Test
    void aMalformedFrameIsAProtocolErrorAndTheClientReconnects() throws Exception {
        Conn conn = connected();
        conn.sendText("{\"type\":\"ok\",\"id\":1}");
        awaitState(State.RECONNECTING);
        assertThat(conn.nextEvent()).isEqualTo("close");
    }

    @Test
    void aMessageLargerThanTheFrameLimitIsAProtocolError() throws Exception {
        Conn conn = connected();
        String huge = "{\"type\":\"deliver\",\"envelopeId\":\"" + "x".repeat(dev.vouch.relay.api.Wire.MAX_FRAME) + "\"}";
        conn.sendFragmented(huge, 4);
        awaitState(State.RECONNECTING);
        assertThat(delivered).isEmpty();
    }

    @Test
    void aFirstFrameOtherThanHelloFailsTheConnection() throws Exception {
        relay = new LoopbackRelay(keys, "TLSv1.3");
        CompletableFuture<Void> connect = connectionTo(relay, keys.pin()).connect();
        Conn conn = relay.nextConnection();
        conn.send(new Frames.Ok(1, JsonNodeFactory.instance.objectNode()));
        Throwable failure = failureOf(connect);
        assertThat(failure).isInstanceOf(ConnectionLostException.class).hasMessageContaining("first frame must be hello");
    }

    @Test
    void theClientPingsAndGivesUpOnARelayThatStopsAnswering() throws Exception {
        Conn conn = connected();
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(conn.nextEvent()).isEqualTo("ping");
        roundTrip(conn); // the relay wrote its pong before reading this request: the client has seen it
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(conn.nextEvent()).isEqualTo("ping");
        roundTrip(conn);
        assertThat(connection.state()).isEqualTo(State.CONNECTED);

        conn.answerPings = false;
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(conn.nextEvent()).isEqualTo("ping");
        roundTrip(conn);
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
        scheduler.advance(Duration.ofSeconds(30)); // no pong since the last ping: the connection is dead
        awaitState(State.RECONNECTING);
    }

    private void roundTrip(Conn conn) throws Exception {
        CompletableFuture<Void> ack = connection.ack("sync");
        Frames.Ack request = conn.next(Frames.Ack.class);
        conn.send(new Frames.Ok(request.id(), JsonNodeFactory.instance.objectNode()));
        ack.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closingFailsWhatIsInFlightAndDoesNotReconnect() throws Exception {
        Conn conn = connected();
        CompletableFuture<Void> ack = connection.ack("e-1");
        conn.next(Frames.Ack.class);
        connection.close();
        assertThat(failureOf(ack)).isInstanceOf(ConnectionLostException.class);
        assertThat(conn.nextEvent()).isEqualTo("close");
        assertThat(connection.state()).isEqualTo(State.CLOSED);
        assertThat(scheduler.pendingDelays()).doesNotContain(Duration.ofMillis(750));
        assertThat(failureOf(connection.ack("e-2"))).isInstanceOf(ConnectionLostException.class);
    }

    @Test
    void prekeysGoUpAndBundlesComeBackVerified() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        Party bob = new Party("bob", 1, random);
        SignedPreKey signed = SignedPreKey.generate(1, device, 0L, random);
        KemPreKey lastResort = KemPreKey.generate(2, true, device, 0L, random);
        CompletableFuture<RelayConnection.PreKeyCounts> uploaded = connection.uploadPreKeys(signed.publicPart(),
                List.of(OneTimePreKey.generate(3, random).publicPart()), List.of(), Optional.of(lastResort.publicPart()));
        Frames.UploadPreKeys upload = conn.next(Frames.UploadPreKeys.class);
        assertThat(SignedPreKeyPublic.decode(upload.signedPreKey())).isEqualTo(signed.publicPart());
        assertThat(upload.oneTimePreKeys()).hasSize(1);
        assertThat(upload.kemPreKeys()).isEmpty();
        assertThat(KemPreKeyPublic.decode(upload.lastResortKemPreKey())).isEqualTo(lastResort.publicPart());
        conn.send(new Frames.Ok(upload.id(), JsonNodeFactory.instance.objectNode().put("oneTime", 1).put("kem", 0)));
        assertThat(uploaded.get(10, TimeUnit.SECONDS)).isEqualTo(new RelayConnection.PreKeyCounts(1, 0));

        byte[] bundle = bob.bundle().serialize();
        AccountIdentity bobAccount = AccountIdentity.generate(random);
        byte[] binding = binding(bobAccount, "bob", 1, bob.identity().publicKey());
        CompletableFuture<RelayConnection.Bundles> fetched = connection.fetchBundles("bob");
        Frames.FetchBundles fetch = conn.next(Frames.FetchBundles.class);
        assertThat(fetch.handle()).isEqualTo("bob");
        conn.send(new Frames.Ok(fetch.id(), bundlesBody(bobAccount.publicKey(), bundle, binding)));
        RelayConnection.Bundles bundles = fetched.get(10, TimeUnit.SECONDS);
        assertThat(bundles.accountKey()).isEqualTo(bobAccount.publicKey());
        assertThat(bundles.bundles()).hasSize(1);
        assertThat(bundles.bundles().get(0).identityKey()).isEqualTo(bob.identity().publicKey());

        byte[] forged = bundle.clone();
        forged[80] ^= 1; // inside the signed prekey: its signature no longer verifies
        CompletableFuture<RelayConnection.Bundles> refused = connection.fetchBundles("bob");
        Frames.FetchBundles again = conn.next(Frames.FetchBundles.class);
        conn.send(new Frames.Ok(again.id(), bundlesBody(bobAccount.publicKey(), forged, binding)));
        assertThat(failureOf(refused)).isInstanceOf(BadResponseException.class).hasMessageContaining("bad key or bundle");
    }

    /** A valid bundle whose device the account key did not bind (to this handle and device id) is refused. */
    @Test
    void aBundleWhoseDeviceIsNotBoundToTheAccountKeyIsRefused() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        Party bob = new Party("bob", 1, random);
        AccountIdentity bobAccount = AccountIdentity.generate(random);
        AccountIdentity relaysOwn = AccountIdentity.generate(random);
        DeviceIdentityKey bobDevice = bob.identity().publicKey();
        byte[] bundle = bob.bundle().serialize();
        byte[] good = binding(bobAccount, "bob", 1, bobDevice);
        ObjectNode twice = bundlesBody(bobAccount.publicKey(), bundle, good);
        ((com.fasterxml.jackson.databind.node.ArrayNode) twice.get("bundles")).add(twice.get("bundles").get(0));
        ObjectNode bare = JsonNodeFactory.instance.objectNode().put("accountKey", bobAccount.publicKey().serialize());
        bare.putArray("bundles").add(bundle); // a bundle without its binding
        List<ObjectNode> answers = List.of(
                bundlesBody(bobAccount.publicKey(), bundle, binding(relaysOwn, "bob", 1, bobDevice)),
                bundlesBody(bobAccount.publicKey(), bundle, binding(bobAccount, "mallory", 1, bobDevice)),
                bundlesBody(bobAccount.publicKey(), bundle, binding(bobAccount, "bob", 2, bobDevice)),
                bundlesBody(relaysOwn.publicKey(), bundle, good),
                twice,
                bare);
        for (ObjectNode answer : answers) {
            CompletableFuture<RelayConnection.Bundles> refused = connection.fetchBundles("bob");
            conn.send(new Frames.Ok(conn.next(Frames.FetchBundles.class).id(), answer));
            assertThat(failureOf(refused)).as(answer.toString()).isInstanceOf(BadResponseException.class);
        }
        CompletableFuture<RelayConnection.Bundles> refused = connection.fetchBundles("bob");
        conn.send(new Frames.Ok(conn.next(Frames.FetchBundles.class).id(), answers.get(0)));
        assertThat(failureOf(refused)).hasMessageContaining("device 1").hasMessageContaining("not bound");
    }

    private static byte[] binding(AccountIdentity account, String handle, int deviceId, DeviceIdentityKey key) {
        return account.sign(AuthStrings.deviceBinding(handle, deviceId, key));
    }

    private static ObjectNode bundlesBody(AccountIdentityKey account, byte[] bundle, byte[] binding) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("accountKey", account.serialize());
        body.putArray("bundles").addObject().put("bundle", bundle).put("deviceBinding", binding);
        return body;
    }

    private static ObjectNode lookupBody(AccountIdentityKey account, ObjectNode... devices) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("accountKey", account.serialize());
        body.putArray("devices").addAll(List.of(devices));
        return body;
    }

    private static ObjectNode deviceNode(int deviceId, DeviceIdentityKey key, byte[] binding) {
        return JsonNodeFactory.instance.objectNode().put("deviceId", deviceId).put("deviceKey", key.serialize())
                .put("deviceBinding", binding);
    }

    @Test
    void lookupReturnsTheDevicesWhoseBindingsVerify() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        AccountIdentity bob = AccountIdentity.generate(random);
        DeviceIdentityKey bob1 = DeviceIdentity.generate(random).publicKey();
        DeviceIdentityKey bob2 = DeviceIdentity.generate(random).publicKey();

        CompletableFuture<RelayConnection.Lookup> found = connection.lookup("Bob");
        Frames.Lookup request = conn.next(Frames.Lookup.class);
        assertThat(request.handle()).isEqualTo("Bob");
        conn.send(new Frames.Ok(request.id(), lookupBody(bob.publicKey(),
                deviceNode(1, bob1, binding(bob, "bob", 1, bob1)), deviceNode(2, bob2, binding(bob, "bob", 2, bob2)))));
        RelayConnection.Lookup lookup = found.get(10, TimeUnit.SECONDS);
        assertThat(lookup.accountKey()).isEqualTo(bob.publicKey());
        assertThat(lookup.devices()).containsExactly(new RelayConnection.DeviceEntry(1, bob1),
                new RelayConnection.DeviceEntry(2, bob2));

        // an account without devices (for example all registered before bindings were kept) is an empty list
        CompletableFuture<RelayConnection.Lookup> empty = connection.lookup("bob");
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), lookupBody(bob.publicKey())));
        assertThat(empty.get(10, TimeUnit.SECONDS).devices()).isEmpty();
    }

    @Test
    void aLookupCarriesTheDeviceListAsSentAndAPublishAnswersItsVersion() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        AccountIdentity bob = AccountIdentity.generate(random);
        DeviceIdentityKey bob1 = DeviceIdentity.generate(random).publicKey();
        byte[] list = {1, 0x27, 42}; // passed on undecoded: the service checks it and records a refusal

        CompletableFuture<RelayConnection.Lookup> found = connection.lookup("bob");
        ObjectNode body = lookupBody(bob.publicKey(), deviceNode(1, bob1, binding(bob, "bob", 1, bob1)));
        body.put("deviceList", list);
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), body));
        assertThat(found.get(10, TimeUnit.SECONDS).deviceList()).hasValueSatisfying(l -> assertThat(l).isEqualTo(list));

        CompletableFuture<RelayConnection.Lookup> notBase64 = connection.lookup("bob");
        ObjectNode bad = lookupBody(bob.publicKey());
        bad.put("deviceList", 7);
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), bad));
        assertThat(failureOf(notBase64)).hasMessageContaining("deviceList");

        SignedDeviceList own = SignedDeviceList.sign(AccountIdentity.generate(random), "alice", 3, List.of(new SignedDeviceList.Device(1,
                device.publicKey(), "Desktop", java.time.Instant.EPOCH)));
        CompletableFuture<Long> published = connection.publishDeviceList(own);
        Frames.PublishDeviceList sent = conn.next(Frames.PublishDeviceList.class);
        assertThat(sent.deviceList()).isEqualTo(own.serialize());
        conn.send(new Frames.Ok(sent.id(), JsonNodeFactory.instance.objectNode().put("version", 3)));
        assertThat(published.get(10, TimeUnit.SECONDS)).isEqualTo(3);

        CompletableFuture<Long> odd = connection.publishDeviceList(own);
        conn.send(new Frames.Ok(conn.next(Frames.PublishDeviceList.class).id(),
                JsonNodeFactory.instance.objectNode().put("version", "three")));
        assertThat(failureOf(odd)).hasMessageContaining("version alone");
    }

    @Test
    void aLookupWithADeviceTheAccountKeyDidNotBindFailsNamingTheDevice() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        AccountIdentity bob = AccountIdentity.generate(random);
        AccountIdentity relaysOwn = AccountIdentity.generate(random);
        DeviceIdentityKey bob1 = DeviceIdentity.generate(random).publicKey();
        DeviceIdentityKey planted = DeviceIdentity.generate(random).publicKey();
        ObjectNode good = deviceNode(1, bob1, binding(bob, "bob", 1, bob1));
        byte[] tampered = binding(bob, "bob", 2, planted);
        tampered[10] ^= 1;

        CompletableFuture<RelayConnection.Lookup> refused = connection.lookup("bob");
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), lookupBody(bob.publicKey(), good,
                deviceNode(2, planted, tampered))));
        assertThat(failureOf(refused)).isInstanceOf(BadResponseException.class).hasMessageContaining("device 2")
                .hasMessageContaining("not bound");

        List<ObjectNode> answers = List.of(
                lookupBody(bob.publicKey(), good, deviceNode(2, planted, binding(relaysOwn, "bob", 2, planted))),
                lookupBody(bob.publicKey(), deviceNode(2, bob1, binding(bob, "bob", 1, bob1))), // another device id
                lookupBody(relaysOwn.publicKey(), good), // another account key
                lookupBody(bob.publicKey(), good, good), // a device twice
                lookupBody(bob.publicKey(), deviceNode(0, bob1, binding(bob, "bob", 0, bob1))),
                lookupBody(bob.publicKey(), good.deepCopy().put("extra", 1)),
                lookupBody(bob.publicKey(), good.deepCopy().put("deviceKey", "AAAA")),
                (ObjectNode) lookupBody(bob.publicKey(), good).put("more", true),
                JsonNodeFactory.instance.objectNode().put("accountKey", bob.publicKey().serialize()));
        for (ObjectNode answer : answers) {
            CompletableFuture<RelayConnection.Lookup> bad = connection.lookup("bob");
            conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), answer));
            assertThat(failureOf(bad)).as(answer.toString()).isInstanceOf(BadResponseException.class);
        }
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void identifiedSendingNeedsAnAuthenticatedConnectionAndCarriesNoAccessKey() throws Exception {
        Conn conn = connected();
        assertThat(failureOf(connection.sendIdentified("bob", 1, new byte[] {1})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authenticate");
        assertThat(failureOf(connection.send("bob", 1, new byte[] {1}, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendIdentified");
        authenticate(conn, connection.authenticate("alice", 1, device));
        CompletableFuture<Long> sent = connection.sendIdentified("bob", 1, new byte[] {4, 5});
        Frames.Send send = conn.next(Frames.Send.class);
        assertThat(send.accessKey()).isNull();
        assertThat(send.handle()).isEqualTo("bob");
        assertThat(send.envelope()).containsExactly(4, 5);
        conn.send(new Frames.Ok(send.id(), JsonNodeFactory.instance.objectNode().put("time", 99L)));
        assertThat(sent.get(10, TimeUnit.SECONDS)).isEqualTo(99L);
    }

    /** A log of {@code entries} for bob's handle, signed by a fresh log key, as a relay would make it. */
    private record Log(List<LogEntry> entries, MerkleTree tree, SignedTreeHead head) {
        static Log of(AccountIdentityKey bob, int entries) {
            SecureRandom random = new SecureRandom();
            List<LogEntry> made = new java.util.ArrayList<>();
            MerkleTree tree = new MerkleTree();
            for (int i = 0; i < entries; i++) {
                byte[] devices = new byte[32];
                random.nextBytes(devices);
                made.add(new LogEntry("bob", bob, devices, i + 1));
                tree.append(made.get(i).serialize());
            }
            SignedTreeHead head = LogSigner.generate(random).sign(new TreeHead(entries, tree.root(), 1_700_000_000_000L));
            return new Log(made, tree, head);
        }

        ObjectNode proofNode(int index) {
            return JsonNodeFactory.instance.objectNode().put("head", head.serialize()).put("index", index)
                    .put("entry", entries.get(index).serialize())
                    .put("proof", tree.inclusionProof(index, entries.size()).serialize());
        }
    }

    @Test
    void theLogObjectOfLookupsAndBundlesIsDecodedAsSentAndAMalformedOneIsABadResponse() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        SecureRandom random = new SecureRandom();
        AccountIdentity bob = AccountIdentity.generate(random);
        DeviceIdentityKey bob1 = DeviceIdentity.generate(random).publicKey();
        ObjectNode bobDevice = deviceNode(1, bob1, binding(bob, "bob", 1, bob1));
        Log log = Log.of(bob.publicKey(), 5);

        CompletableFuture<RelayConnection.Lookup> found = connection.lookup("bob");
        ObjectNode body = lookupBody(bob.publicKey(), bobDevice);
        body.set("log", log.proofNode(3));
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), body));
        RelayConnection.LogProof proof = found.get(10, TimeUnit.SECONDS).log().orElseThrow();
        assertThat(proof.head()).isEqualTo(log.head());
        assertThat(proof.index()).isEqualTo(3);
        assertThat(proof.entry()).isEqualTo(log.entries().get(3));
        assertThat(proof.proof()).isEqualTo(log.tree().inclusionProof(3, 5));

        // an answer without it (a relay without a log) has none
        CompletableFuture<RelayConnection.Lookup> without = connection.lookup("bob");
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), lookupBody(bob.publicKey(), bobDevice)));
        assertThat(without.get(10, TimeUnit.SECONDS).log()).isEmpty();
        assertThat(new RelayConnection.Lookup(bob.publicKey(), List.of()).log()).isEmpty();

        List<ObjectNode> malformed = List.of(
                log.proofNode(3).put("index", -1),
                log.proofNode(3).put("index", "3"),
                log.proofNode(3).put("index", 3.5),
                log.proofNode(3).put("head", "not base64!"),
                log.proofNode(3).put("head", log.entries().get(0).serialize()),
                log.proofNode(3).put("entry", log.head().serialize()),
                log.proofNode(3).put("proof", new byte[] {1, 0x34, 0}),
                log.proofNode(3).put("extra", 1),
                (ObjectNode) log.proofNode(3).without("proof"),
                JsonNodeFactory.instance.objectNode());
        for (ObjectNode bad : malformed) {
            CompletableFuture<RelayConnection.Lookup> refused = connection.lookup("bob");
            ObjectNode answer = lookupBody(bob.publicKey(), bobDevice);
            answer.set("log", bad);
            conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(), answer));
            assertThat(failureOf(refused)).as(bad.toString()).isInstanceOf(BadResponseException.class);
        }
        CompletableFuture<RelayConnection.Lookup> nullLog = connection.lookup("bob");
        conn.send(new Frames.Ok(conn.next(Frames.Lookup.class).id(),
                lookupBody(bob.publicKey(), bobDevice).putNull("log")));
        assertThat(failureOf(nullLog)).isInstanceOf(BadResponseException.class);

        // the same object on bundles
        Party bobParty = new Party("bob", 1, random);
        byte[] bundle = bobParty.bundle().serialize();
        byte[] bundleBinding = binding(bob, "bob", 1, bobParty.identity().publicKey());
        CompletableFuture<RelayConnection.Bundles> fetched = connection.fetchBundles("bob");
        ObjectNode bundles = bundlesBody(bob.publicKey(), bundle, bundleBinding);
        bundles.set("log", log.proofNode(4));
        conn.send(new Frames.Ok(conn.next(Frames.FetchBundles.class).id(), bundles));
        assertThat(fetched.get(10, TimeUnit.SECONDS).log().orElseThrow().entry()).isEqualTo(log.entries().get(4));
        CompletableFuture<RelayConnection.Bundles> badBundles = connection.fetchBundles("bob");
        ObjectNode broken = bundlesBody(bob.publicKey(), bundle, bundleBinding);
        broken.set("log", log.proofNode(4).put("entry", "AAAA"));
        conn.send(new Frames.Ok(conn.next(Frames.FetchBundles.class).id(), broken));
        assertThat(failureOf(badBundles)).isInstanceOf(BadResponseException.class);
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void logHeadAndLogEntriesAnswersAreDecodedAsSentAndMalformedOnesAreBadResponses() throws Exception {
        Conn conn = connected();
        authenticate(conn, connection.authenticate("alice", 1, device));
        Log log = Log.of(AccountIdentity.generate(new SecureRandom()).publicKey(), 6);
        ConsistencyProof consistency = log.tree().consistencyProof(2, 6);

        CompletableFuture<RelayConnection.LogHeadAnswer> head = connection.logHead(2);
        Frames.LogHead asked = conn.next(Frames.LogHead.class);
        assertThat(asked.from()).isEqualTo(2);
        conn.send(new Frames.Ok(asked.id(), JsonNodeFactory.instance.objectNode().put("head", log.head().serialize())
                .put("consistency", consistency.serialize())));
        RelayConnection.LogHeadAnswer answered = head.get(10, TimeUnit.SECONDS);
        assertThat(answered.head()).isEqualTo(log.head());
        assertThat(answered.consistency()).contains(consistency);

        CompletableFuture<RelayConnection.LogHeadAnswer> bare = connection.logHead(0);
        conn.send(new Frames.Ok(conn.next(Frames.LogHead.class).id(),
                JsonNodeFactory.instance.objectNode().put("head", log.head().serialize())));
        assertThat(bare.get(10, TimeUnit.SECONDS).consistency()).isEmpty();

        for (ObjectNode bad : List.of(JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode().put("head", log.head().serialize()).put("consistency", "AAAA"),
                JsonNodeFactory.instance.objectNode().put("head", log.head().serialize()).put("extra", true),
                JsonNodeFactory.instance.objectNode().put("head", consistency.serialize()))) {
            CompletableFuture<RelayConnection.LogHeadAnswer> refused = connection.logHead(0);
            conn.send(new Frames.Ok(conn.next(Frames.LogHead.class).id(), bad));
            assertThat(failureOf(refused)).as(bad.toString()).isInstanceOf(BadResponseException.class);
        }

        CompletableFuture<RelayConnection.LogEntries> entries = connection.logEntries(4, 1000);
        Frames.LogEntries request = conn.next(Frames.LogEntries.class);
        assertThat(request.from()).isEqualTo(4);
        assertThat(request.limit()).isEqualTo(1000);
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("head", log.head().serialize());
        for (int i = 4; i < 6; i++) {
            body.withArray("entries").add(((ObjectNode) log.proofNode(i).without("head")));
        }
        conn.send(new Frames.Ok(request.id(), body));
        RelayConnection.LogEntries got = entries.get(10, TimeUnit.SECONDS);
        assertThat(got.head()).isEqualTo(log.head());
        assertThat(got.entries()).containsExactly(
                new RelayConnection.LogEntryProof(4, log.entries().get(4), log.tree().inclusionProof(4, 6)),
                new RelayConnection.LogEntryProof(5, log.entries().get(5), log.tree().inclusionProof(5, 6)));

        ObjectNode withHead = body.deepCopy();
        ((ObjectNode) withHead.get("entries").get(0)).put("head", log.head().serialize());
        ObjectNode badIndex = body.deepCopy();
        ((ObjectNode) badIndex.get("entries").get(1)).put("index", -5);
        ObjectNode badProof = body.deepCopy();
        ((ObjectNode) badProof.get("entries").get(1)).put("proof", log.head().serialize());
        for (ObjectNode bad : List.of(withHead, badIndex, badProof, (ObjectNode) body.deepCopy().without("head"),
                body.deepCopy().put("entries", "none"), body.deepCopy().put("more", 1))) {
            CompletableFuture<RelayConnection.LogEntries> refused = connection.logEntries(0, 10);
            conn.send(new Frames.Ok(conn.next(Frames.LogEntries.class).id(), bad));
            assertThat(failureOf(refused)).as(bad.toString()).isInstanceOf(BadResponseException.class);
        }
        // a limit the protocol does not allow is refused before anything is sent
        assertThat(failureOf(connection.logEntries(0, 1001))).isInstanceOf(IllegalArgumentException.class);
        assertThat(connection.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void backoffGrowsToItsCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);
        assertThat(backoff.delay(0, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(0, 0.999999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofMillis(6000));
        assertThat(backoff.delay(10, 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000, 1.0)).isEqualTo(Duration.ofSeconds(60));
    }
}
