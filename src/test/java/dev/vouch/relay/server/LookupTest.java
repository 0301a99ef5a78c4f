package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code lookup} on the real relay: an account's keys and device bindings, without spending a prekey. */
class LookupTest {
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

    private static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    @Test
    void lookupAnswersTheAccountKeyAndEveryDeviceWithItsBindingAndSpendsNoPrekey() throws Exception {
        TestDevice alice1 = new TestDevice("alice");
        TestDevice alice2 = new TestDevice("alice", 2, alice1.account);
        TestDevice bob = new TestDevice("bob");
        try (TestClient a1 = alice1.registered(relay); TestClient a2 = alice2.registered(relay);
             TestClient b = bob.registered(relay)) {
            a1.ok(alice1.preKeys(a1, 1, 1, 1, true));

            JsonNode found = b.ok(new Frames.Lookup(b.nextId(), "ALICE"));
            assertThat(found.size()).as("accountKey, devices and the log proof").isEqualTo(3);
            AccountIdentityKey accountKey = AccountIdentityKey.decode(b64(found.get("accountKey")));
            assertThat(accountKey).isEqualTo(alice1.account.publicKey());
            JsonNode devices = found.get("devices");
            assertThat(devices).hasSize(2);
            TestDevice[] expected = {alice1, alice2};
            for (int i = 0; i < 2; i++) {
                JsonNode device = devices.get(i);
                assertThat(device.size()).isEqualTo(3);
                assertThat(device.get("deviceId").asInt()).isEqualTo(expected[i].deviceId);
                DeviceIdentityKey deviceKey = DeviceIdentityKey.decode(b64(device.get("deviceKey")));
                assertThat(deviceKey).isEqualTo(expected[i].identity.publicKey());
                assertThat(accountKey.verify(AuthStrings.deviceBinding("alice", expected[i].deviceId, deviceKey),
                        b64(device.get("deviceBinding")))).as("binding of device %d", i + 1).isTrue();
            }

            // no prekey was spent: the next fetch still gets the one-time pair
            JsonNode counts = a1.ok(new Frames.PreKeyCounts(a1.nextId()));
            assertThat(counts.get("oneTime").asInt()).isEqualTo(1);
            assertThat(counts.get("kem").asInt()).isEqualTo(1);
            JsonNode fetched = b.ok(new Frames.FetchBundles(b.nextId(), "alice"));
            PreKeyBundle bundle = TestClient.bundle(fetched, 0);
            assertThat(bundle.oneTimePreKey()).isPresent();
            assertThat(bundle.kemPreKey().lastResort()).isFalse();
        }
        assertThat(fixture.events()).doesNotContain("alice");
    }

    @Test
    void lookupNeedsAnAuthenticatedConnection() throws Exception {
        new TestDevice("alice").registered(relay).close();
        try (TestClient anonymous = TestClient.connect(relay)) {
            anonymous.error(new Frames.Lookup(anonymous.nextId(), "alice"), ErrorCode.UNAUTHENTICATED);
        }
    }

    @Test
    void lookupOfAnUnknownHandleIsUnknownAccount() throws Exception {
        try (TestClient bob = new TestDevice("bob").registered(relay)) {
            bob.error(new Frames.Lookup(bob.nextId(), "nobody"), ErrorCode.UNKNOWN_ACCOUNT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "1alice", "alice.", "al ice", "../../etc", "a234567890123456789012345678901234"})
    void lookupOfAnInvalidHandleIsHandleInvalid(String handle) throws Exception {
        try (TestClient bob = new TestDevice("bob").registered(relay)) {
            bob.error(new Frames.Lookup(bob.nextId(), handle), ErrorCode.HANDLE_INVALID);
        }
    }
}
