package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When storage fails the client hears {@code unavailable}, the operator sees an event, and the relay carries on. */
class StorageFailureTest {
    @TempDir
    Path data;

    /** SQLite storage whose mailbox writes fail while {@link #broken} is set. */
    private static final class FlakyStorage implements RelayStorage {
        final RelayStorage inner;
        final AtomicBoolean broken = new AtomicBoolean();

        FlakyStorage(RelayStorage inner) {
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
        public ListUpdate publishDeviceList(String handle, byte[] accountKey, long version,
                                            java.util.Map<Integer, byte[]> listed, byte[] encoded)
                throws RelayStorageException {
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
            if (broken.get()) {
                throw new RelayStorageException("disk full (simulated)", null);
            }
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

    @Test
    void aFailedWriteIsUnavailableAndTheRelayRecovers() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        StringBuilder events = new StringBuilder();
        FlakyStorage storage = new FlakyStorage(SqliteRelayStorage.open(data));
        try (RelayServer relay = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, Limits.DEFAULT,
                (event, fields) -> {
                    synchronized (events) {
                        events.append(event).append(fields).append('\n');
                    }
                }), storage)) {
            TestDevice bob = new TestDevice("bob");
            try (TestClient bobClient = bob.registered(relay); TestClient sender = TestClient.connect(relay)) {
                storage.broken.set(true);
                sender.error(bob.sendTo(sender, "lost".getBytes(StandardCharsets.UTF_8)), ErrorCode.UNAVAILABLE);
                storage.broken.set(false);
                sender.ok(bob.sendTo(sender, "kept".getBytes(StandardCharsets.UTF_8)));
                assertThat(bobClient.deliver().envelope()).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
            }
        }
        synchronized (events) {
            assertThat(events.toString()).contains("storage-error").contains("disk full (simulated)")
                    .doesNotContain("lost").doesNotContain("kept");
        }
    }
}
