package dev.vouch.relay.server;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.Frames;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** A client device's keys, and the frames it sends to register, authenticate and upload prekeys. */
final class TestDevice {
    static final SecureRandom RANDOM = new SecureRandom();

    final String handle;
    final int deviceId;
    final AccountIdentity account;
    final DeviceIdentity identity;
    final byte[] accessKey = new byte[16];

    TestDevice(String handle) {
        this(handle, 1, AccountIdentity.generate(RANDOM));
    }

    TestDevice(String handle, int deviceId, AccountIdentity account) {
        this.handle = handle;
        this.deviceId = deviceId;
        this.account = account;
        this.identity = DeviceIdentity.generate(RANDOM);
        RANDOM.nextBytes(accessKey);
    }

    Frames.Register register(TestClient client) {
        return register(client, handle);
    }

    Frames.Register register(TestClient client, String asHandle) {
        byte[] binding = account.sign(AuthStrings.deviceBinding(asHandle, deviceId, identity.publicKey()));
        byte[] signature = identity.sign(AuthStrings.authentication(client.hello.challenge(), asHandle, deviceId));
        return new Frames.Register(client.nextId(), asHandle, account.publicKey().serialize(), deviceId,
                identity.publicKey().serialize(), binding, accessKey, signature);
    }

    Frames.Authenticate authenticate(TestClient client) {
        byte[] signature = identity.sign(AuthStrings.authentication(client.hello.challenge(), handle, deviceId));
        return new Frames.Authenticate(client.nextId(), handle, deviceId, signature);
    }

    /** Registers on a fresh connection and returns it, authenticated. */
    TestClient registered(RelayServer relay) throws Exception {
        TestClient client = TestClient.connect(relay);
        client.ok(register(client));
        return client;
    }

    /** Authenticates on a fresh connection and returns it. */
    TestClient authenticated(RelayServer relay) throws Exception {
        TestClient client = TestClient.connect(relay);
        client.ok(authenticate(client));
        return client;
    }

    Frames.Send sendTo(TestClient over, byte[] envelope) {
        return new Frames.Send(over.nextId(), handle, deviceId, envelope, accessKey);
    }

    /** A send to this device without its access key (identified send, for first contact). */
    Frames.Send identifiedSendTo(TestClient over, byte[] envelope) {
        return new Frames.Send(over.nextId(), handle, deviceId, envelope);
    }

    /** An upload of a signed prekey, {@code oneTime} X25519 and {@code kem} ML-KEM keys with ids from {@code firstId}, and a last-resort key. */
    Frames.UploadPreKeys preKeys(TestClient client, int firstId, int oneTime, int kem, boolean lastResort) {
        long now = System.currentTimeMillis();
        List<byte[]> otks = new ArrayList<>();
        List<byte[]> kems = new ArrayList<>();
        for (int i = 0; i < oneTime; i++) {
            otks.add(OneTimePreKey.generate(firstId + i, RANDOM).publicPart().serialize());
        }
        for (int i = 0; i < kem; i++) {
            kems.add(KemPreKey.generate(firstId + i, false, identity, now, RANDOM).publicPart().serialize());
        }
        byte[] spk = SignedPreKey.generate(firstId, identity, now, RANDOM).publicPart().serialize();
        byte[] last = lastResort ? KemPreKey.generate(1_000_000 + firstId, true, identity, now, RANDOM).publicPart().serialize()
                : null;
        return new Frames.UploadPreKeys(client.nextId(), spk, otks, kems, last);
    }
}
