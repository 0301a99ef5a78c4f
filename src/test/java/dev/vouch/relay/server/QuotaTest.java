package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotaTest {
    @TempDir
    Path data;

    @Test
    void aFullMailboxRefusesSendsUntilSomethingIsAcknowledged() throws Exception {
        Limits limits = Limits.DEFAULT.withMailboxQuota(new RelayStorage.Quota(3, 1 << 20));
        try (RelayFixture fixture = new RelayFixture(data, limits)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient sender = TestClient.connect(fixture.relay)) {
                for (int i = 0; i < 3; i++) {
                    sender.ok(bob.sendTo(sender, new byte[] {(byte) i}));
                }
                sender.error(bob.sendTo(sender, new byte[] {3}), ErrorCode.QUOTA_EXCEEDED);
                try (TestClient bobClient = bob.authenticated(fixture.relay)) {
                    Frames.Deliver first = bobClient.deliver();
                    bobClient.ok(new Frames.Ack(bobClient.nextId(), first.envelopeId()));
                }
                sender.ok(bob.sendTo(sender, new byte[] {4}));
                sender.error(bob.sendTo(sender, new byte[] {5}), ErrorCode.QUOTA_EXCEEDED);
            }
        }
    }

    @Test
    void theMailboxQuotaCountsBytesToo() throws Exception {
        Limits limits = Limits.DEFAULT.withMailboxQuota(new RelayStorage.Quota(100, 2_500_000));
        try (RelayFixture fixture = new RelayFixture(data, limits)) {
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient sender = TestClient.connect(fixture.relay)) {
                byte[] big = new byte[1 << 20];
                sender.ok(bob.sendTo(sender, big));
                sender.ok(bob.sendTo(sender, big));
                Frames.Error refused = sender.error(bob.sendTo(sender, big), ErrorCode.QUOTA_EXCEEDED);
                assertThat(refused.message()).contains("MiB");
                sender.ok(bob.sendTo(sender, new byte[1000]));
            }
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(Limits.DEFAULT.mailboxQuota().maxEnvelopes()).isEqualTo(10_000);
        assertThat(Limits.DEFAULT.mailboxQuota().maxBytes()).isEqualTo(256L << 20);
        assertThat(Limits.DEFAULT.maxQueuedFrames()).isEqualTo(256);
        assertThat(Limits.DEFAULT.idleTimeout().toSeconds()).isEqualTo(120);
        assertThat(Limits.DEFAULT.writeTimeout().toSeconds()).isEqualTo(10);
        assertThat(Limits.DEFAULT.registrationsPerMinute()).isEqualTo(10);
        assertThat(Limits.DEFAULT.envelopeLifetime().toDays()).isEqualTo(30);
        assertThat(Limits.DEFAULT.fetchBundlesPerMinute()).isEqualTo(30);
        assertThat(Limits.DEFAULT.lookupsPerMinute()).isEqualTo(120);
        assertThat(Limits.DEFAULT.identifiedSendsPerMinute()).isEqualTo(60);
    }
}
