package dev.vouch.testing;

import dev.vouch.relay.server.DeviceAddress;
import dev.vouch.relay.server.QuotaExceededException;
import dev.vouch.relay.server.RelayStorage;
import dev.vouch.relay.server.RelayStorageException;
import dev.vouch.relay.server.TransparencyLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relay's real storage passed through unchanged; a test storage that misbehaves in one way
 * extends it and overrides only that.
 */
public abstract class ForwardingRelayStorage implements RelayStorage {
    protected final RelayStorage inner;

    protected ForwardingRelayStorage(RelayStorage inner) {
        this.inner = inner;
    }

    @Override
    public Registration register(Device device, byte[] deviceBinding, Instant now) throws RelayStorageException {
        return inner.register(device, deviceBinding, now);
    }

    @Override
    public Optional<Device> device(DeviceAddress address) throws RelayStorageException {
        return inner.device(address);
    }

    @Override
    public ListUpdate publishDeviceList(String handle, byte[] accountKey, long version, Map<Integer, byte[]> listed,
                                        byte[] encoded, java.util.Set<Integer> removed, Instant now)
            throws RelayStorageException {
        return inner.publishDeviceList(handle, accountKey, version, listed, encoded, removed, now);
    }

    @Override
    public Optional<byte[]> deviceList(String handle) throws RelayStorageException {
        return inner.deviceList(handle);
    }

    @Override
    public boolean removed(DeviceAddress device) throws RelayStorageException {
        return inner.removed(device);
    }

    @Override
    public PreKeyCounts storePreKeys(DeviceAddress device, PreKeyUpload upload, int maxPerKind)
            throws RelayStorageException, QuotaExceededException {
        return inner.storePreKeys(device, upload, maxPerKind);
    }

    @Override
    public PreKeyCounts preKeyCounts(DeviceAddress device) throws RelayStorageException {
        return inner.preKeyCounts(device);
    }

    @Override
    public Optional<AccountDevices> lookup(String handle) throws RelayStorageException {
        return inner.lookup(handle);
    }

    @Override
    public Optional<ClaimedAccount> claimPreKeys(String handle) throws RelayStorageException {
        return inner.claimPreKeys(handle);
    }

    @Override
    public void storeEnvelope(DeviceAddress device, String envelopeId, byte[] body, Instant received, Quota quota)
            throws RelayStorageException, QuotaExceededException {
        inner.storeEnvelope(device, envelopeId, body, received, quota);
    }

    @Override
    public List<Envelope> envelopes(DeviceAddress device, long afterSeq, int limit) throws RelayStorageException {
        return inner.envelopes(device, afterSeq, limit);
    }

    @Override
    public boolean deleteEnvelope(DeviceAddress device, String envelopeId) throws RelayStorageException {
        return inner.deleteEnvelope(device, envelopeId);
    }

    @Override
    public int deleteEnvelopesReceivedBefore(Instant cutoff) throws RelayStorageException {
        return inner.deleteEnvelopesReceivedBefore(cutoff);
    }

    @Override
    public TransparencyLog log() {
        return inner.log();
    }

    @Override
    public void close() {
        inner.close();
    }
}
