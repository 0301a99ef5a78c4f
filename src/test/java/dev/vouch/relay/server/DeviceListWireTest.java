package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import dev.vouch.transparency.log.DeviceListHash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publishDeviceList} against a real relay (docs/relay-protocol.md): a valid list is stored,
 * served with {@code lookup} and logged; every bad one is refused with its own error code and
 * changes nothing, neither the served list nor the log.
 */
class DeviceListWireTest {
    private static final Instant ADDED = Instant.parse("2026-11-28T00:00:00Z");

    @TempDir
    java.nio.file.Path data;
    RelayFixture fixture;
    TestDevice alice;
    TestDevice laptop;
    TestClient a;
    TestClient b;

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        alice = new TestDevice("alice");
        laptop = new TestDevice("alice", 2, alice.account);
        a = alice.registered(fixture.relay);
        laptop.registered(fixture.relay).close();
        b = new TestDevice("bob").registered(fixture.relay);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        fixture.close();
    }

    private SignedDeviceList list(long version, TestDevice... devices) throws Exception {
        return SignedDeviceList.sign(alice.account, "alice", version, java.util.Arrays.stream(devices)
                .map(d -> new SignedDeviceList.Device(d.deviceId, d.identity.publicKey(), "device " + d.deviceId, ADDED))
                .toList());
    }

    private JsonNode publish(byte[] list) throws Exception {
        return a.ok(new Frames.PublishDeviceList(a.nextId(), list));
    }

    /** Refused, over a fresh connection of alice's second device (five bad frames close a connection). */
    private void refused(byte[] list, ErrorCode code, String message) throws Exception {
        try (TestClient c = laptop.authenticated(fixture.relay)) {
            Frames.Error error = c.error(new Frames.PublishDeviceList(c.nextId(), list), code);
            assertThat(error.message()).contains(message);
        }
    }

    private JsonNode lookupAlice() throws Exception {
        return b.ok(new Frames.Lookup(b.nextId(), "alice"));
    }

    private long logSize() throws Exception {
        return LogJson.head(b.ok(new Frames.LogHead(b.nextId(), 0))).head().size();
    }

    @Test
    void aValidListIsStoredServedAndLoggedAndOnlyAHigherVersionReplacesIt() throws Exception {
        assertThat(lookupAlice().has("deviceList")).as("nothing published yet").isFalse();
        long before = logSize();

        SignedDeviceList first = list(1, alice, laptop);
        assertThat(publish(first.serialize()).get("version").asLong()).isEqualTo(1);
        JsonNode served = lookupAlice();
        assertThat(Base64.getDecoder().decode(served.get("deviceList").asText())).isEqualTo(first.serialize());
        LogJson.Proven log = LogJson.log(served);
        log.verify(fixture.relay.logKey());
        assertThat(log.entry().deviceListHash()).as("the log commits to the signed list")
                .isEqualTo(DeviceListHash.ofSigned(first.serialize()));
        assertThat(logSize()).isEqualTo(before + 1);

        refused(first.serialize(), ErrorCode.VERSION_NOT_NEWER, "version 1 or higher");
        refused(list(1, alice).serialize(), ErrorCode.VERSION_NOT_NEWER, "version 1 or higher");

        SignedDeviceList second = list(2, alice);
        assertThat(publish(second.serialize()).get("version").asLong()).isEqualTo(2);
        assertThat(Base64.getDecoder().decode(lookupAlice().get("deviceList").asText())).isEqualTo(second.serialize());
        // the laptop left the list: it is removed and may not authenticate any more (unlinking)
        try (TestClient c = TestClient.connect(fixture.relay)) {
            assertThat(c.error(laptop.authenticate(c), ErrorCode.DEVICE_REMOVED).message()).contains("removed");
        }
        Frames.Error old = a.error(new Frames.PublishDeviceList(a.nextId(), list(1, alice, laptop).serialize()),
                ErrorCode.VERSION_NOT_NEWER);
        assertThat(old.message()).contains("version 1 or higher");
        assertThat(logSize()).isEqualTo(before + 2);
    }

    @Test
    void badListsAreRefusedByTypeAndChangeNothing() throws Exception {
        SignedDeviceList valid = list(1, alice);
        publish(valid.serialize());
        long size = logSize();

        // signed by another account key
        SignedDeviceList foreign = SignedDeviceList.sign(AccountIdentity.generate(TestDevice.RANDOM), "alice", 2,
                List.of(new SignedDeviceList.Device(1, alice.identity.publicKey(), "", ADDED)));
        refused(foreign.serialize(), ErrorCode.BAD_SIGNATURE, "not signed by the account key");
        // one bit of a valid list flipped
        byte[] flipped = list(2, alice, laptop).serialize();
        flipped[flipped.length - 10] ^= 1;
        refused(flipped, ErrorCode.BAD_SIGNATURE, "not signed by the account key");
        // someone else's handle, signed by alice's key
        refused(SignedDeviceList.sign(alice.account, "bob", 2, List.of(new SignedDeviceList.Device(1,
                alice.identity.publicKey(), "", ADDED))).serialize(), ErrorCode.BAD_FRAME, "is for bob");
        // a device the relay never registered
        TestDevice stranger = new TestDevice("alice", 3, alice.account);
        refused(list(2, alice, stranger).serialize(), ErrorCode.BAD_FRAME, "must be registered");
        // a registered device id with another key
        refused(SignedDeviceList.sign(alice.account, "alice", 2, List.of(new SignedDeviceList.Device(2,
                stranger.identity.publicKey(), "", ADDED))).serialize(), ErrorCode.BAD_FRAME, "must be registered");
        // a duplicated device id, validly signed
        refused(byHand(2, new int[] {1, 1}, alice.identity.publicKey(), laptop.identity.publicKey()),
                ErrorCode.BAD_FRAME, "listed twice");
        // more devices than a list may hold, validly signed
        DeviceIdentityKey[] many = new DeviceIdentityKey[SignedDeviceList.MAX_DEVICES + 1];
        int[] ids = new int[many.length];
        for (int i = 0; i < many.length; i++) {
            many[i] = new TestDevice("alice", i + 1, alice.account).identity.publicKey();
            ids[i] = i + 1;
        }
        refused(byHand(2, ids, many), ErrorCode.BAD_FRAME, "at most " + SignedDeviceList.MAX_DEVICES);
        // garbage
        refused(new byte[] {1, 0x27, 5}, ErrorCode.BAD_FRAME, "not a valid device list");

        assertThat(Base64.getDecoder().decode(lookupAlice().get("deviceList").asText())).isEqualTo(valid.serialize());
        assertThat(logSize()).as("nothing refused was logged").isEqualTo(size);
    }

    @Test
    void aListNeedsAnAuthenticatedDevice() throws Exception {
        try (TestClient anonymous = TestClient.connect(fixture.relay)) {
            anonymous.error(new Frames.PublishDeviceList(anonymous.nextId(), list(1, alice).serialize()),
                    ErrorCode.UNAUTHENTICATED);
        }
        assertThat(lookupAlice().has("deviceList")).isFalse();
    }

    /** A list in the wire format with whatever ids, validly signed by alice's account key. */
    private byte[] byHand(long version, int[] ids, DeviceIdentityKey... keys) {
        byte[] handle = "alice".getBytes(StandardCharsets.UTF_8);
        ByteWriter w = Tag.SIGNED_DEVICE_LIST.writer(4096).u8(handle.length).fixed(handle).u64(version).u8(ids.length);
        for (int i = 0; i < ids.length; i++) {
            w.u32(ids[i]).fixed(keys[i].serialize()).u8(0).u64(ADDED.toEpochMilli());
        }
        byte[] body = w.toByteArray();
        byte[] label = "Vouch signed device list v1\0".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = alice.account.sign(new ByteWriter().fixed(label).fixed(body).toByteArray());
        return new ByteWriter().fixed(body).fixed(signature).toByteArray();
    }
}
