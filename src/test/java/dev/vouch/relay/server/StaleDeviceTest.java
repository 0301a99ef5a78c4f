package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code send} may name the device key its envelope was encrypted to ({@code recipientKey}):
 * the relay stores it only if the device still has that key, and otherwise answers
 * {@code stale-device} and stores nothing, so the sender looks the device up again instead of
 * filling a mailbox with envelopes its owner can never open. Sends without the field work as before.
 */
class StaleDeviceTest {
    @TempDir
    Path data;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyOf(TestDevice device) {
        return device.identity.publicKey().serialize();
    }

    private static byte[] anotherKey() {
        return DeviceIdentity.generate(TestDevice.RANDOM).publicKey().serialize();
    }

    private static Frames.Send sealed(TestClient over, TestDevice to, String envelope, byte[] recipientKey) {
        return new Frames.Send(over.nextId(), to.handle, to.deviceId, bytes(envelope), to.accessKey, recipientKey);
    }

    private static Frames.Send identified(TestClient over, TestDevice to, String envelope, byte[] recipientKey) {
        return new Frames.Send(over.nextId(), to.handle, to.deviceId, bytes(envelope), null, recipientKey);
    }

    @Test
    void sendsNamingTheCurrentKeyOrNoKeyAreStoredAndAnotherKeyIsStale() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice bob = new TestDevice("bob");
            TestDevice alice = new TestDevice("alice");
            try (TestClient bobClient = bob.registered(fixture.relay);
                 TestClient aliceClient = alice.registered(fixture.relay);
                 TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.ok(sealed(anonymous, bob, "sealed, right key", keyOf(bob)));
                aliceClient.ok(identified(aliceClient, bob, "identified, right key", keyOf(bob)));

                Frames.Error sealedStale = anonymous.error(sealed(anonymous, bob, "sealed, other key", anotherKey()),
                        ErrorCode.STALE_DEVICE);
                assertThat(sealedStale.message()).doesNotContain(Base64.getEncoder().encodeToString(keyOf(bob)));
                aliceClient.error(identified(aliceClient, bob, "identified, other key", anotherKey()),
                        ErrorCode.STALE_DEVICE);
                // alice's own device key is a valid key, just not bob's
                aliceClient.error(identified(aliceClient, bob, "identified, sender's key", keyOf(alice)),
                        ErrorCode.STALE_DEVICE);

                anonymous.ok(bob.sendTo(anonymous, bytes("sealed, no key")));
                aliceClient.ok(bob.identifiedSendTo(aliceClient, bytes("identified, no key")));

                for (String expected : new String[] {"sealed, right key", "identified, right key", "sealed, no key",
                    "identified, no key"}) {
                    Frames.Deliver d = bobClient.deliver();
                    assertThat(new String(d.envelope(), StandardCharsets.UTF_8))
                            .as("the refused envelopes were not stored").isEqualTo(expected);
                    bobClient.ok(new Frames.Ack(bobClient.nextId(), d.envelopeId()));
                }
            }
            // nothing refused waits for bob's next connection either
            try (TestClient bobClient = bob.authenticated(fixture.relay);
                 TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.ok(bob.sendTo(anonymous, bytes("marker")));
                assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("marker"));
            }
        }
    }

    @Test
    void theAccessKeyAndTheDeviceAreCheckedBeforeTheKeySoARefusalTellsAStrangerNothingAboutIt() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient anonymous = TestClient.connect(fixture.relay)) {
                byte[] wrongAccessKey = bob.accessKey.clone();
                wrongAccessKey[0] ^= 1;
                for (byte[] recipientKey : new byte[][] {keyOf(bob), anotherKey()}) {
                    anonymous.error(new Frames.Send(anonymous.nextId(), "bob", 1, bytes("x"), wrongAccessKey, recipientKey),
                            ErrorCode.FORBIDDEN);
                    anonymous.error(new Frames.Send(anonymous.nextId(), "bob", 2, bytes("x"), bob.accessKey, recipientKey),
                            ErrorCode.UNKNOWN_ACCOUNT);
                }
            }
            try (TestClient unauthenticated = TestClient.connect(fixture.relay)) {
                unauthenticated.error(new Frames.Send(unauthenticated.nextId(), "bob", 1, bytes("x"), null, anotherKey()),
                        ErrorCode.UNAUTHENTICATED);
            }
        }
    }

    @Test
    void aRecipientKeyOfTheWrongLengthIsABadFrame() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            byte[] key = keyOf(bob);
            String envelope = Base64.getEncoder().encodeToString(bytes("x"));
            String accessKey = Base64.getEncoder().encodeToString(bob.accessKey);
            String[] wrong = {"\"\"", "\"" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(key, key.length - 1))
                    + "\"", "\"" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(key, key.length + 1)) + "\"",
                "\"" + Base64.getEncoder().encodeToString(new byte[32]) + "\"", "7", "[]", "{}", "\"not base64!\""};
            for (String recipientKey : wrong) {
                // one connection each: the relay closes a connection after a few bad frames
                try (TestClient anonymous = TestClient.connect(fixture.relay)) {
                    long id = anonymous.nextId();
                    anonymous.sendText("{\"type\":\"send\",\"id\":" + id + ",\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\""
                            + envelope + "\",\"accessKey\":\"" + accessKey + "\",\"recipientKey\":" + recipientKey + "}");
                    assertThat(anonymous.answerTo(id)).as(recipientKey).isInstanceOfSatisfying(Frames.Error.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME));
                }
            }
            // none was stored: the first thing bob gets is this marker
            try (TestClient bobClient = bob.authenticated(fixture.relay);
                 TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.ok(bob.sendTo(anonymous, bytes("marker")));
                assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("marker"));
            }
        }
    }

    /**
     * The case the field exists for: bob's account is recreated with new keys (a wiped phone), and
     * an envelope encrypted to his old device key is refused until the sender uses the new one.
     */
    @Test
    void afterTheDeviceIsRegisteredAgainWithNewKeysTheOldKeyIsStale() throws Exception {
        TestDevice oldBob = new TestDevice("bob");
        try (RelayFixture fixture = new RelayFixture(data)) {
            oldBob.registered(fixture.relay).close();
            try (TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.ok(sealed(anonymous, oldBob, "before", keyOf(oldBob)));
            }
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteRelayStorage.FILE_NAME));
             Statement st = db.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            assertThat(st.executeUpdate("DELETE FROM accounts WHERE handle = 'bob'")).isPositive();
        }
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice newBob = new TestDevice("bob");
            try (TestClient bobClient = newBob.registered(fixture.relay);
                 TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.error(sealed(anonymous, newBob, "to the old key", keyOf(oldBob)), ErrorCode.STALE_DEVICE);
                anonymous.ok(sealed(anonymous, newBob, "to the new key", keyOf(newBob)));
                assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("to the new key"));
            }
        }
    }
}
