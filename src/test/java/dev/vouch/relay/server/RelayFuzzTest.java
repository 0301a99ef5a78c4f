package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frame;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on every frame type: the relay answers each with an error or closes that
 * connection, stays up, and a client connected all along keeps working.
 */
class RelayFuzzTest {
    private static final String B64_16 = Base64.getEncoder().encodeToString(new byte[16]);
    private static final String B64_64 = Base64.getEncoder().encodeToString(new byte[64]);
    private static final String B64_KEY = Base64.getEncoder().encodeToString(new byte[Frames.RECIPIENT_KEY_LENGTH]);

    @TempDir
    Path data;
    RelayFixture fixture;
    RelayServer relay;
    TestDevice bob;
    TestClient bobClient;

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        relay = fixture.relay;
        bob = new TestDevice("bob");
        bobClient = bob.registered(relay);
    }

    @AfterEach
    void stop() {
        bobClient.close();
        fixture.close();
    }

    /** Hand-written hostile frames: malformed JSON, wrong types, missing fields, server frames, hostile values. */
    private List<String> handWritten() {
        List<String> in = new ArrayList<>(List.of(
                "", " ", "null", "true", "1", "\"text\"", "[]", "{}", "{", "}", "{\"type\":", "\u0000", "\uFFFF\uFFFE",
                "{\"type\":\"nope\",\"id\":1}", "{\"type\":null,\"id\":1}", "{\"type\":1,\"id\":1}",
                "{\"type\":[\"send\"],\"id\":1}", "{\"id\":1}",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                "{\"type\":\"preKeyCounts\",\"id\":1,\"id\":2}",
                "{\"type\":\"preKeyCounts\",\"id\":-1}", "{\"type\":\"preKeyCounts\",\"id\":0}",
                "{\"type\":\"preKeyCounts\",\"id\":1e3}", "{\"type\":\"preKeyCounts\",\"id\":99999999999999999999999}",
                "{\"type\":\"preKeyCounts\",\"id\":\"1\"}", "{\"type\":\"preKeyCounts\",\"id\":NaN}",
                "{\"type\":\"preKeyCounts\"}", "{\"type\":\"preKeyCounts\",\"id\":1,\"x\":{}}",
                // server frames sent by a client
                "{\"type\":\"hello\",\"protocol\":1,\"challenge\":\"" + Base64.getEncoder().encodeToString(new byte[32])
                        + "\",\"time\":1}",
                "{\"type\":\"ok\",\"id\":1,\"body\":{}}", "{\"type\":\"error\",\"id\":1,\"code\":\"bad-frame\",\"message\":\"x\"}",
                "{\"type\":\"deliver\",\"envelopeId\":\"x\",\"envelope\":\"AQ==\",\"time\":1}",
                // every request type, with missing fields, wrong types and hostile values
                "{\"type\":\"register\",\"id\":1}",
                "{\"type\":\"register\",\"id\":1,\"handle\":\"alice\",\"accountKey\":\"AQ==\",\"deviceId\":1,\"deviceKey\":\"AQ==\","
                        + "\"deviceBinding\":\"" + B64_64 + "\",\"accessKey\":\"" + B64_16 + "\",\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"register\",\"id\":1,\"handle\":\"alice\",\"accountKey\":\"!!\",\"deviceId\":1,\"deviceKey\":\"AQ==\","
                        + "\"deviceBinding\":\"" + B64_64 + "\",\"accessKey\":\"" + B64_16 + "\",\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"register\",\"id\":1,\"handle\":\"alice\",\"accountKey\":\"AQ==\",\"deviceId\":-5,\"deviceKey\":\"AQ==\","
                        + "\"deviceBinding\":\"" + B64_64 + "\",\"accessKey\":\"" + B64_16 + "\",\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"authenticate\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"authenticate\",\"id\":1,\"handle\":\"bob\",\"deviceId\":2147483647,\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"authenticate\",\"id\":1,\"handle\":\"bob\",\"deviceId\":2147483648,\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"authenticate\",\"id\":1,\"handle\":\"" + "\u0130".repeat(60) + "\",\"deviceId\":1,\"signature\":\""
                        + B64_64 + "\"}",
                "{\"type\":\"authenticate\",\"id\":1,\"handle\":{},\"deviceId\":1,\"signature\":\"" + B64_64 + "\"}",
                "{\"type\":\"uploadPreKeys\",\"id\":1,\"signedPreKey\":\"AQ==\",\"oneTimePreKeys\":[\"AQ==\"],\"kemPreKeys\":[],"
                        + "\"lastResortKemPreKey\":null}",
                "{\"type\":\"uploadPreKeys\",\"id\":1,\"signedPreKey\":null,\"oneTimePreKeys\":[null],\"kemPreKeys\":null,"
                        + "\"lastResortKemPreKey\":null}",
                "{\"type\":\"fetchBundles\",\"id\":1,\"handle\":\"bob\"}", "{\"type\":\"fetchBundles\",\"id\":1,\"handle\":7}",
                "{\"type\":\"lookup\",\"id\":1,\"handle\":\"bob\"}", "{\"type\":\"lookup\",\"id\":1}",
                "{\"type\":\"lookup\",\"id\":1,\"handle\":null}", "{\"type\":\"lookup\",\"id\":1,\"handle\":[\"bob\"]}",
                "{\"type\":\"lookup\",\"id\":1,\"handle\":\"bob\",\"devices\":[]}", "{\"type\":\"lookup\",\"handle\":\"bob\"}",
                "{\"type\":\"Lookup\",\"id\":1,\"handle\":\"bob\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16 + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"\",\"accessKey\":\"" + B64_16 + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"@@@@\",\"accessKey\":\"" + B64_16 + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"AQ==\"}",
                // without an access key (an identified send), which this unauthenticated connection may not make
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":null}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":[]}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":{}}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"nobody\",\"deviceId\":1,\"envelope\":\"AQ==\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"accessKey\":null}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"nobody\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16 + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"../../etc\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16 + "\"}",
                // with a recipientKey: well-formed (refused for the access key), null, wrong lengths and types
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":\"" + B64_KEY + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":null}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":\"\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":\"" + B64_64 + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":[1,2]}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":{}}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"recipientKey\":\""
                        + B64_KEY + "\"}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"recipientKey\":\"" + B64_KEY + "\",\"recipientKey\":null}",
                "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"" + B64_16
                        + "\",\"RecipientKey\":\"" + B64_KEY + "\"}",
                "{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"x\"}", "{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"" + "x".repeat(65) + "\"}",
                "{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"' OR 1=1 --\"}",
                // the transparency log's requests: valid ones (this connection is not authenticated) and broken ones
                "{\"type\":\"logHead\",\"id\":1,\"from\":0}", "{\"type\":\"logHead\",\"id\":1}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":-1}", "{\"type\":\"logHead\",\"id\":1,\"from\":\"1\"}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":1.5}", "{\"type\":\"logHead\",\"id\":1,\"from\":null}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":9223372036854775808}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":99999999999999999999999}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":0,\"consistency\":\"AQ==\"}",
                "{\"type\":\"logHead\",\"id\":1,\"from\":[0]}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":10}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0}", "{\"type\":\"logEntries\",\"id\":1,\"limit\":10}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":0}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":1001}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":-1}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":2147483648}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":-5,\"limit\":1}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":\"10\"}",
                "{\"type\":\"logEntries\",\"id\":1,\"from\":0,\"limit\":10,\"entries\":[]}",
                "{\"type\":\"LogEntries\",\"id\":1,\"from\":0,\"limit\":10}"));
        // a string as long as the mapper allows, inside an otherwise valid frame
        in.add("{\"type\":\"fetchBundles\",\"id\":1,\"handle\":\"" + "a".repeat(1_000_000) + "\"}");
        return in;
    }

    /** Valid frames that must still be refused (wrong keys, no authentication), for mutation. */
    private List<String> seeds(TestClient client) {
        TestDevice stranger = new TestDevice("stranger");
        byte[] wrongAccessKey = bob.accessKey.clone();
        wrongAccessKey[0] ^= 1;
        Frames.Register register = stranger.register(client);
        return List.of(
                Wire.encode(new Frames.Send(1, "bob", 1, "sealed".getBytes(StandardCharsets.UTF_8), wrongAccessKey)),
                Wire.encode(new Frames.Authenticate(2, "bob", 1, new byte[64])),
                Wire.encode(new Frames.Register(3, "stranger", register.accountKey(), 1, register.deviceKey(),
                        new byte[64], register.accessKey(), register.signature())),
                Wire.encode(new Frames.FetchBundles(4, "bob")),
                Wire.encode(new Frames.Lookup(8, "bob")),
                Wire.encode(new Frames.Send(9, "bob", 1, "named".getBytes(StandardCharsets.UTF_8))),
                Wire.encode(new Frames.Send(10, "bob", 1, "sealed".getBytes(StandardCharsets.UTF_8), wrongAccessKey,
                        bob.identity.publicKey().serialize())),
                Wire.encode(new Frames.Send(11, "bob", 1, "named".getBytes(StandardCharsets.UTF_8), null,
                        bob.identity.publicKey().serialize())),
                Wire.encode(new Frames.PreKeyCounts(5)),
                Wire.encode(new Frames.Ack(6, "envelope")),
                Wire.encode(new Frames.LogHead(12, 0)),
                Wire.encode(new Frames.LogEntries(13, 0, 10)),
                Wire.encode(stranger.preKeys(client, 1, 1, 1, true)));
    }

    private static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.setCharAt(at, (char) random.nextInt(0x3000));
                case 2 -> s.insert(at, "\",:{}[]0-e\\".charAt(random.nextInt(11)));
                case 3 -> s.setLength(at);
                default -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(20))));
            }
        }
        return s.toString();
    }

    private static String randomText(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void everyHostileFrameGetsAnErrorOrACloseAndTheRelayStaysUp() throws Exception {
        Random random = new Random(20261127);
        TestClient client = TestClient.connect(relay);
        List<String> inputs = new ArrayList<>(handWritten());
        List<String> seeds = seeds(client);
        for (int i = 0; i < 250; i++) {
            inputs.add(mutate(seeds.get(random.nextInt(seeds.size())), random));
        }
        for (int i = 0; i < 50; i++) {
            inputs.add(randomText(random));
        }
        int errors = 0;
        int closes = 0;
        for (String input : inputs) {
            if (client.isClosed()) {
                client.close();
                client = TestClient.connect(relay);
            }
            try {
                client.sendText(input);
            } catch (Exception e) {
                client.close();
                client = TestClient.connect(relay); // the relay closed it between two inputs
                client.sendText(input);
            }
            Object outcome = client.nextOrClose();
            if (outcome instanceof Integer) {
                closes++;
            } else {
                assertThat(outcome).as("answer to %s", abbreviate(input)).isInstanceOf(Frames.Error.class);
                errors++;
            }
        }
        client.close();
        assertThat(errors + closes).isEqualTo(inputs.size());
        assertThat(errors).isGreaterThan(inputs.size() / 2);
        stillWorks();
    }

    /**
     * Mutated {@code lookup}, {@code send}, {@code logHead} and {@code logEntries} frames, sends with
     * and without access key, from an authenticated device: each gets exactly one answer (ok when
     * the mutation left a valid request, else an error) or a close, and the relay stays up.
     */
    @Test
    void hostileLookupsAndSendsFromAnAuthenticatedDeviceAreAnsweredOneByOne() throws Exception {
        Random random = new Random(20261128);
        TestDevice carol = new TestDevice("carolina");
        carol.registered(relay).close();
        TestDevice mallory = new TestDevice("mallory");
        TestClient client = mallory.registered(relay);
        List<String> seeds = List.of(
                Wire.encode(new Frames.Lookup(1, "bob")),
                Wire.encode(new Frames.Lookup(2, "carolina")),
                Wire.encode(new Frames.Send(3, "carolina", 1, "named".getBytes(StandardCharsets.UTF_8))),
                Wire.encode(new Frames.Send(4, "carolina", 1, "sealed".getBytes(StandardCharsets.UTF_8), carol.accessKey)),
                Wire.encode(new Frames.FetchBundles(5, "carolina")),
                // naming carol's device key (accepted) and another one (stale-device)
                Wire.encode(new Frames.Send(6, "carolina", 1, "named".getBytes(StandardCharsets.UTF_8), null,
                        carol.identity.publicKey().serialize())),
                Wire.encode(new Frames.Send(7, "carolina", 1, "sealed".getBytes(StandardCharsets.UTF_8), carol.accessKey,
                        carol.identity.publicKey().serialize())),
                Wire.encode(new Frames.Send(8, "carolina", 1, "sealed".getBytes(StandardCharsets.UTF_8), carol.accessKey,
                        mallory.identity.publicKey().serialize())),
                // the log holds bob, carolina and mallory: from 0 to 3 are valid, beyond is a bad frame
                Wire.encode(new Frames.LogHead(9, 0)),
                Wire.encode(new Frames.LogHead(10, 2)),
                Wire.encode(new Frames.LogEntries(11, 0, 5)),
                Wire.encode(new Frames.LogEntries(12, 1, 1000)));
        // beyond the log: bad frames
        List<String> refused = List.of(Wire.encode(new Frames.LogHead(13, 4)), Wire.encode(new Frames.LogEntries(14, 4, 1)));
        List<String> pool = new ArrayList<>(seeds);
        pool.addAll(refused);
        List<String> inputs = new ArrayList<>(pool);
        for (int i = 0; i < 200; i++) {
            inputs.add(mutate(pool.get(random.nextInt(pool.size())), random));
        }
        int oks = 0;
        int errors = 0;
        for (String input : inputs) {
            if (client.isClosed()) {
                client.close();
                client = mallory.authenticated(relay);
            }
            try {
                client.sendText(input);
            } catch (Exception e) {
                client.close();
                client = mallory.authenticated(relay);
                client.sendText(input);
            }
            Object outcome = client.nextOrClose();
            if (outcome instanceof Frames.Ok) {
                oks++;
            } else if (outcome instanceof Frames.Error) {
                errors++;
            } else {
                assertThat(outcome).as("answer to %s", abbreviate(input)).isInstanceOf(Integer.class);
            }
        }
        client.close();
        assertThat(oks).as("the unmutated seeds at least, but the stale one").isGreaterThanOrEqualTo(seeds.size() - 1);
        assertThat(errors).isGreaterThan(inputs.size() / 4);
        stillWorks();
    }

    @Test
    void binaryFramesAreBadFramesAndRepeatedBadFramesCloseTheConnection() throws Exception {
        try (TestClient client = TestClient.connect(relay)) {
            client.sendBinary(new byte[] {1, 2, 3});
            Frames.Error error = (Frames.Error) client.next();
            assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(error.id()).isZero();
            // the id of a frame that fails to decode is echoed when it has one
            client.sendText("{\"type\":\"ack\",\"id\":42}");
            Frames.Error withId = (Frames.Error) client.next();
            assertThat(withId.id()).isEqualTo(42);
            for (int i = 2; i < Limits.DEFAULT.maxBadFrames(); i++) {
                client.sendText("not json");
                assertThat(((Frames.Error) client.next()).code()).isEqualTo(ErrorCode.BAD_FRAME);
            }
            assertThat(client.awaitClose()).isEqualTo(RelayConnection.CLOSE_POLICY);
        }
        try (TestClient client = TestClient.connect(relay)) {
            client.sendBinary(new byte[RelayServer.MAX_BINARY + 1]);
            assertThat(client.awaitClose()).isEqualTo(RelayConnection.CLOSE_TOO_LARGE);
        }
        stillWorks();
    }

    @Test
    void oversizedFramesAreTooLargeAndClose() throws Exception {
        try (TestClient client = TestClient.connect(relay)) {
            client.sendText("{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"" + "x".repeat(Wire.MAX_FRAME) + "\"}");
            Frames.Error error = (Frames.Error) client.next();
            assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(client.awaitClose()).isEqualTo(RelayConnection.CLOSE_TOO_LARGE);
        }
        // multi-byte characters count as their UTF-8 bytes
        try (TestClient client = TestClient.connect(relay)) {
            client.sendText("\u20AC".repeat(Wire.MAX_FRAME / 3 + 1));
            assertThat(((Frames.Error) client.next()).code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(client.awaitClose()).isEqualTo(RelayConnection.CLOSE_TOO_LARGE);
        }
        // beyond Jetty's own cap the connection is dropped without reading the rest
        try (TestClient client = TestClient.connect(relay)) {
            try {
                client.sendText("x".repeat(RelayServer.JETTY_MAX_TEXT + 1));
            } catch (Exception e) {
                // the relay may close while the frame is still being written
            }
            assertThat(client.awaitClose()).isEqualTo(RelayConnection.CLOSE_TOO_LARGE);
        }
        stillWorks();
    }

    /** The relay still answers, and the client connected since the start still sends and receives. */
    private void stillWorks() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedTls.context(relay.spkiPin())).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + relay.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(bobClient.isClosed()).isFalse();
        bobClient.ok(bob.sendTo(bobClient, "still here".getBytes(StandardCharsets.UTF_8)));
        Frame delivered = bobClient.deliver();
        assertThat(((Frames.Deliver) delivered).envelope()).isEqualTo("still here".getBytes(StandardCharsets.UTF_8));
        assertThat(bobClient.ok(new Frames.PreKeyCounts(bobClient.nextId())).get("oneTime").asInt()).isZero();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
    }
}
