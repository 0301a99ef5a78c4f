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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's real SQLite storage, except that {@code lookup} may serve another device list than
 * the one stored for a handle: a relay that hands out an old, forged or malformed list, for tests
 * of what a client refuses. Everything else, the log included, is the real storage's.
 */
public final class ListSwappingStorage implements RelayStorage {
    private final RelayStorage inner;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();

    public ListSwappingStorage(RelayStorage inner) {
        this.inner = inner;
    }

    /** From now on, {@code lookup} of {@code handle} serves {@code list} instead of the stored one. */
    public void serve(String handle, byte[] list) {
        served.put(handle, list.clone());
    }

    /** Back to the stored lists. */
    public void honest() {
        served.clear();
    }

    @Override
    public Optional<AccountDevices> lookup(String handle) throws RelayStorageException {
        Optional<AccountDevices> real = inner.lookup(handle);
        byte[] swapped = served.get(handle);
        if (real.isEmpty() || swapped == null) {
            return real;
        }
        return Optional.of(new AccountDevices(real.get().accountKey(), real.get().devices(), Optional.of(swapped)));
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
                                        byte[] encoded) throws RelayStorageException {
        return inner.publishDeviceList(handle, accountKey, version, listed, encoded);
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
