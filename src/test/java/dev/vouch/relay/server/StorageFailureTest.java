package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.testing.ForwardingRelayStorage;
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
    private static final class FlakyStorage extends ForwardingRelayStorage {
        final AtomicBoolean broken = new AtomicBoolean();

        FlakyStorage(RelayStorage inner) {
            super(inner);
        }

        @Override
        public void storeEnvelope(DeviceAddress device, String envelopeId, byte[] body, Instant received, Quota quota)
                throws RelayStorageException, QuotaExceededException {
            if (broken.get()) {
                throw new RelayStorageException("disk full (simulated)", null);
            }
            inner.storeEnvelope(device, envelopeId, body, received, quota);
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
