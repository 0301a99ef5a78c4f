package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the transparency parts of relay answers as a client would, with the pure decoders. */
final class LogJson {
    private LogJson() {
    }

    /** A {@code log} object or one entry of {@code logEntries}, decoded. */
    record Proven(SignedTreeHead signed, long index, LogEntry entry, InclusionProof proof) {
        TreeHead head() {
            return signed.head();
        }

        /** The client's checks: the head is signed by {@code key} and the proof places the entry at its index under it. */
        TreeHead verify(LogKey key) throws Exception {
            TreeHead head = key.verify(signed);
            assertThat(proof.leafIndex()).isEqualTo(index);
            head.verifyInclusion(entry, proof);
            return head;
        }
    }

    static byte[] bytes(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    static SignedTreeHead head(JsonNode body) throws Exception {
        return SignedTreeHead.decode(bytes(body.get("head")));
    }

    static Proven log(JsonNode body) throws Exception {
        JsonNode log = body.get("log");
        assertThat(log).as("the answer carries a log object: %s", body).isNotNull();
        assertThat(log.size()).isEqualTo(4);
        return proven(log, SignedTreeHead.decode(bytes(log.get("head"))));
    }

    private static Proven proven(JsonNode node, SignedTreeHead head) throws Exception {
        assertThat(node.get("index").isIntegralNumber()).isTrue();
        return new Proven(head, node.get("index").asLong(), LogEntry.decode(bytes(node.get("entry"))),
                InclusionProof.decode(bytes(node.get("proof"))));
    }

    /** The entries of a {@code logEntries} answer, each with the answer's head. */
    static List<Proven> entries(JsonNode body) throws Exception {
        SignedTreeHead head = head(body);
        List<Proven> out = new ArrayList<>();
        for (JsonNode node : body.get("entries")) {
            assertThat(node.size()).isEqualTo(3);
            out.add(proven(node, head));
        }
        return out;
    }

    static ConsistencyProof consistency(JsonNode body) throws Exception {
        return ConsistencyProof.decode(bytes(body.get("consistency")));
    }

    static AccountIdentityKey accountKey(JsonNode body) throws Exception {
        return AccountIdentityKey.decode(bytes(body.get("accountKey")));
    }

    /** {@link DeviceListHash} of the devices of a {@code lookup} answer. */
    static byte[] lookupDevicesHash(JsonNode body) throws Exception {
        if (body.has("deviceList")) {
            // an account that published a signed list: the log commits to that list
            return DeviceListHash.ofSigned(bytes(body.get("deviceList")));
        }
        Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
        for (JsonNode d : body.get("devices")) {
            devices.put(d.get("deviceId").asInt(), DeviceIdentityKey.decode(bytes(d.get("deviceKey"))));
        }
        return DeviceListHash.of(devices);
    }

    /** {@link DeviceListHash} of the devices of a {@code fetchBundles} answer. */
    static byte[] bundleDevicesHash(JsonNode body) throws Exception {
        Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
        for (int i = 0; i < body.get("bundles").size(); i++) {
            PreKeyBundle bundle = TestClient.bundle(body, i);
            devices.put(bundle.deviceId(), bundle.identityKey());
        }
        return DeviceListHash.of(devices);
    }
}
