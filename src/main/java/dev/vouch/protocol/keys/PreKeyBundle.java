package dev.vouch.protocol.keys;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.Objects;
import java.util.Optional;

/**
 * What a relay hands out to start a session with one device: its identity key, a signed prekey,
 * an optional one-time prekey and a signed ML-KEM-768 prekey. A PreKeyBundle value always has
 * valid signatures: both factories check them, so session setup can rely on it.
 */
public final class PreKeyBundle {
    private final int deviceId;
    private final DeviceIdentityKey identityKey;
    private final SignedPreKeyPublic signedPreKey;
    private final OneTimePreKeyPublic oneTimePreKey;
    private final KemPreKeyPublic kemPreKey;

    private PreKeyBundle(int deviceId, DeviceIdentityKey identityKey, SignedPreKeyPublic signedPreKey,
                         OneTimePreKeyPublic oneTimePreKey, KemPreKeyPublic kemPreKey) {
        this.deviceId = deviceId;
        this.identityKey = identityKey;
        this.signedPreKey = signedPreKey;
        this.oneTimePreKey = oneTimePreKey;
        this.kemPreKey = kemPreKey;
    }

    /**
     * @param oneTimePreKey may be null when the device has run out
     * @throws InvalidSignatureException unless the device identity signed both prekeys
     */
    public static PreKeyBundle verified(int deviceId, DeviceIdentityKey identityKey, SignedPreKeyPublic signedPreKey,
                                        OneTimePreKeyPublic oneTimePreKey, KemPreKeyPublic kemPreKey)
            throws InvalidSignatureException {
        Objects.requireNonNull(identityKey, "identityKey");
        signedPreKey.verify(identityKey);
        kemPreKey.verify(identityKey);
        if (deviceId < 1) {
            throw new IllegalArgumentException("device ids start at 1");
        }
        return new PreKeyBundle(deviceId, identityKey, signedPreKey, oneTimePreKey, kemPreKey);
    }

    public int deviceId() {
        return deviceId;
    }

    public DeviceIdentityKey identityKey() {
        return identityKey;
    }

    public SignedPreKeyPublic signedPreKey() {
        return signedPreKey;
    }

    public Optional<OneTimePreKeyPublic> oneTimePreKey() {
        return Optional.ofNullable(oneTimePreKey);
    }

    public KemPreKeyPublic kemPreKey() {
        return kemPreKey;
    }

    public byte[] serialize() {
        ByteWriter w = Tag.PREKEY_BUNDLE.writer(1500).u32(deviceId).fixed(identityKey.signingKey())
                .fixed(identityKey.agreementKey());
        signedPreKey.write(w);
        w.bool(oneTimePreKey != null);
        if (oneTimePreKey != null) {
            oneTimePreKey.write(w);
        }
        kemPreKey.write(w);
        return w.toByteArray();
    }

    /** Parses and verifies a bundle. */
    public static PreKeyBundle decode(byte[] data) throws MalformedDataException, InvalidSignatureException {
        ByteReader r = Tag.PREKEY_BUNDLE.reader(data);
        int deviceId = r.u32(1, Integer.MAX_VALUE);
        DeviceIdentityKey identity = DeviceIdentityKey.read(r);
        SignedPreKeyPublic spk = SignedPreKeyPublic.read(r);
        OneTimePreKeyPublic opk = r.bool() ? OneTimePreKeyPublic.read(r) : null;
        KemPreKeyPublic kem = KemPreKeyPublic.read(r);
        r.end();
        return verified(deviceId, identity, spk, opk, kem);
    }

    @Override
    public String toString() {
        return "PreKeyBundle[device=" + deviceId + ", " + identityKey + "]";
    }
}
