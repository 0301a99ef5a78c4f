package dev.vouch.testing;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.state.InMemoryProtocolStore;
import java.security.SecureRandom;

/** One device with an in-memory store and a stock of prekeys, for protocol tests and benchmarks. */
public final class Party {
    private final ProtocolAddress address;
    private final DeviceIdentity identity;
    private final InMemoryProtocolStore store;
    private final SecureRandom random;
    private final SignedPreKey signedPreKey;
    private final KemPreKey lastResortKemPreKey;
    private int nextPreKeyId = 1;

    public Party(String name, int deviceId, SecureRandom random) {
        this.address = new ProtocolAddress(name, deviceId);
        this.random = random;
        this.identity = DeviceIdentity.generate(random);
        this.store = new InMemoryProtocolStore(identity);
        this.signedPreKey = SignedPreKey.generate(1, identity, 0L, random);
        this.lastResortKemPreKey = KemPreKey.generate(1_000_000, true, identity, 0L, random);
        store.storeSignedPreKey(signedPreKey);
        store.storeKemPreKey(lastResortKemPreKey);
    }

    public ProtocolAddress address() {
        return address;
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public InMemoryProtocolStore store() {
        return store;
    }

    /** A fresh bundle with a new one-time prekey and a new one-time ML-KEM prekey. */
    public PreKeyBundle bundle() {
        int id = nextPreKeyId++;
        OneTimePreKey oneTime = OneTimePreKey.generate(id, random);
        KemPreKey kem = KemPreKey.generate(id, false, identity, 0L, random);
        store.storeOneTimePreKey(oneTime);
        store.storeKemPreKey(kem);
        return bundle(oneTime, kem);
    }

    /** A bundle without one-time keys: the signed prekey and the last-resort ML-KEM prekey. */
    public PreKeyBundle lastResortBundle() {
        return bundle(null, lastResortKemPreKey);
    }

    private PreKeyBundle bundle(OneTimePreKey oneTime, KemPreKey kem) {
        try {
            return PreKeyBundle.verified(address.deviceId(), identity.publicKey(), signedPreKey.publicPart(),
                    oneTime == null ? null : oneTime.publicPart(), kem.publicPart());
        } catch (InvalidSignatureException e) {
            throw new AssertionError("own bundle must verify", e);
        }
    }

    public SessionCipher cipherFor(Party other) {
        return new SessionCipher(store, other.address);
    }

    public SessionBuilder builderFor(Party other) {
        return new SessionBuilder(store, other.address, random);
    }
}
