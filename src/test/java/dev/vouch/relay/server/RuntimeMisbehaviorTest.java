package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.relay.api.Frames;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.SignedTreeHead;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The misbehavior of a running relay can be switched while clients stay connected (what
 * {@code vouch demo} does): each mode takes effect at the next answer, {@code inject-device} adds
 * a device to a list the account never signed, and going back to honest answers serves exactly what an
 * honest relay serves.
 */
class RuntimeMisbehaviorTest {
    private static final Instant ADDED = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path data;

    private static JsonNode lookup(TestClient client, String handle) throws Exception {
        return client.ok(new Frames.Lookup(client.nextId(), handle));
    }

    private static SignedTreeHead head(TestClient client) throws Exception {
        return LogJson.head(client.ok(new Frames.LogHead(client.nextId(), 0)));
    }

    private static List<Integer> deviceIds(JsonNode lookup) {
        List<Integer> ids = new ArrayList<>();
        lookup.get("devices").forEach(d -> ids.add(d.get("deviceId").asInt()));
        return ids;
    }

    @Test
    void eachModeTakesEffectOnTheRunningRelayAndBehavingAgainRestoresHonestAnswers() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            RelayServer relay = fixture.relay;
            LogKey logKey = relay.logKey();
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            try (TestClient a = alice.registered(relay); TestClient b = bob.registered(relay)) {
                SignedDeviceList bobsList = SignedDeviceList.sign(bob.account, "bob", 1, List.of(
                        new SignedDeviceList.Device(1, bob.identity.publicKey(), "Desktop", ADDED)));
                b.ok(new Frames.PublishDeviceList(b.nextId(), bobsList.serialize()));
                b.ok(bob.preKeys(b, 1, 1, 1, true));
                JsonNode honest = lookup(a, "bob");
                SignedTreeHead honestHead = head(a);
                assertThat(relay.misbehaving()).isEmpty();

                relay.misbehave(Optional.of(Misbehavior.Mode.SUBSTITUTE_KEY));
                assertThat(relay.misbehaving()).contains(Misbehavior.Mode.SUBSTITUTE_KEY);
                assertThat(fixture.awaitEvent("misbehave=substitute-key", TestClient.TIMEOUT)).contains("event=warning");
                JsonNode substituted = lookup(a, "bob");
                assertThat(LogJson.accountKey(substituted)).isNotEqualTo(bob.account.publicKey());
                assertThat(LogJson.log(substituted).entry().accountKey()).as("the proof is still of the real entry")
                        .isEqualTo(bob.account.publicKey());

                relay.misbehave(Optional.of(Misbehavior.Mode.INJECT_DEVICE));
                fixture.awaitEvent("misbehave=inject-device", TestClient.TIMEOUT);
                JsonNode injected = lookup(a, "bob");
                assertThat(LogJson.accountKey(injected)).as("the real account key").isEqualTo(bob.account.publicKey());
                assertThat(deviceIds(injected)).as("the bound devices stay bob's").containsExactly(1);
                byte[] forged = LogJson.bytes(injected.get("deviceList"));
                assertThatThrownBy(() -> SignedDeviceList.decode(forged, bob.account.publicKey()))
                        .as("bob never signed the list with the extra device")
                        .isInstanceOf(InvalidSignatureException.class);
                assertThat(forged.length).as("one device more than bob's list")
                        .isGreaterThan(bobsList.serialize().length);
                assertThat(LogJson.bytes(lookup(a, "bob").get("deviceList"))).as("made once").isEqualTo(forged);
                assertThat(deviceIds(lookup(b, "bob"))).as("bob himself sees his own list").containsExactly(1);
                assertThat(LogJson.bytes(lookup(b, "bob").get("deviceList"))).isEqualTo(bobsList.serialize());

                relay.misbehave(Optional.of(Misbehavior.Mode.SPLIT_VIEW));
                // switched on with both connected: the first to ask keeps the honest log, the other sees a fork
                SignedTreeHead bobsView = head(b);
                SignedTreeHead alicesView = head(a);
                assertThat(bobsView.head().root()).isEqualTo(honestHead.head().root());
                assertThat(alicesView.head().size()).isEqualTo(honestHead.head().size() + 1);
                logKey.verify(alicesView);
                assertThat(LogJson.log(lookup(a, "bob")).verify(logKey).root()).isEqualTo(alicesView.head().root());

                relay.misbehave(Optional.empty());
                assertThat(relay.misbehaving()).isEmpty();
                fixture.awaitEvent("event=behaving", TestClient.TIMEOUT);
                JsonNode again = lookup(a, "bob");
                assertThat(LogJson.accountKey(again)).isEqualTo(bob.account.publicKey());
                assertThat(deviceIds(again)).containsExactly(1);
                assertThat(LogJson.bytes(again.get("deviceList"))).isEqualTo(bobsList.serialize());
                assertThat(LogJson.log(again).entry()).isEqualTo(LogJson.log(honest).entry());
                assertThat(LogJson.lookupDevicesHash(again)).isEqualTo(LogJson.log(again).entry().deviceListHash());
                assertThat(head(a).head().root()).as("alice is back on the honest log")
                        .isEqualTo(head(b).head().root());
                assertThat(head(a).head().size()).isEqualTo(honestHead.head().size());
            }
        }
    }
}
