package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code send} without access key, for first contact: accepted from an authenticated device only,
 * then stored, pushed and counted against the mailbox quota like a sealed send.
 */
class IdentifiedSendTest {
    @TempDir
    Path data;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anIdentifiedSendFromAnAuthenticatedDeviceIsDeliveredLiveAndQueued() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            try (TestClient aliceClient = alice.registered(fixture.relay)) {
                try (TestClient bobClient = bob.registered(fixture.relay)) {
                    JsonNode sent = aliceClient.ok(bob.identifiedSendTo(aliceClient, bytes("first contact")));
                    assertThat(sent.get("time").asLong()).isEqualTo(fixture.clock.millis());
                    Frames.Deliver live = bobClient.deliver();
                    assertThat(live.envelope()).isEqualTo(bytes("first contact"));
                    bobClient.ok(new Frames.Ack(bobClient.nextId(), live.envelopeId()));
                }
                // bob is offline: the envelope waits in his mailbox like a sealed one
                aliceClient.ok(bob.identifiedSendTo(aliceClient, bytes("queued")));
            }
            try (TestClient bobClient = bob.authenticated(fixture.relay)) {
                Frames.Deliver queued = bobClient.deliver();
                assertThat(queued.envelope()).isEqualTo(bytes("queued"));
                bobClient.ok(new Frames.Ack(bobClient.nextId(), queued.envelopeId()));
            }
        }
    }

    @Test
    void anIdentifiedSendOnAnUnauthenticatedConnectionIsRefusedAndStoresNothing() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient anonymous = TestClient.connect(fixture.relay)) {
                anonymous.error(bob.identifiedSendTo(anonymous, bytes("who am i")), ErrorCode.UNAUTHENTICATED);
                // the same with the field left out of the JSON by hand, and with an explicit null
                String envelope = Base64.getEncoder().encodeToString(bytes("who am i"));
                for (String accessKey : new String[] {"", ",\"accessKey\":null"}) {
                    long id = anonymous.nextId();
                    anonymous.sendText("{\"type\":\"send\",\"id\":" + id + ",\"handle\":\"bob\",\"deviceId\":1,"
                            + "\"envelope\":\"" + envelope + "\"" + accessKey + "}");
                    Frames.ServerFrame answer = anonymous.answerTo(id);
                    assertThat(answer).isInstanceOfSatisfying(Frames.Error.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
                }
                anonymous.ok(bob.sendTo(anonymous, bytes("marker")));
            }
            try (TestClient bobClient = bob.authenticated(fixture.relay)) {
                assertThat(bobClient.deliver().envelope()).as("nothing before the marker").isEqualTo(bytes("marker"));
            }
        }
    }

    @Test
    void anIdentifiedSendMeetsTheSameChecksAndQuotaAsASealedOne() throws Exception {
        Limits limits = Limits.DEFAULT.withMailboxQuota(new RelayStorage.Quota(2, 1 << 20));
        try (RelayFixture fixture = new RelayFixture(data, limits)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient alice = new TestDevice("alice").registered(fixture.relay)) {
                alice.error(new Frames.Send(alice.nextId(), "bob", 2, bytes("x")), ErrorCode.UNKNOWN_ACCOUNT);
                alice.error(new Frames.Send(alice.nextId(), "nobody", 1, bytes("x")), ErrorCode.UNKNOWN_ACCOUNT);
                alice.error(new Frames.Send(alice.nextId(), "b", 1, bytes("x")), ErrorCode.HANDLE_INVALID);
                alice.ok(bob.identifiedSendTo(alice, bytes("one")));
                alice.ok(bob.sendTo(alice, bytes("two")));
                alice.error(bob.identifiedSendTo(alice, bytes("three")), ErrorCode.QUOTA_EXCEEDED);
                // a wrong access key is still refused on an authenticated connection: it is not an identified send
                byte[] wrong = bob.accessKey.clone();
                wrong[0] ^= 1;
                alice.error(new Frames.Send(alice.nextId(), "bob", 1, bytes("x"), wrong), ErrorCode.FORBIDDEN);
            }
        }
    }
}
