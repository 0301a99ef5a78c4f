package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code queueEmpty}: once per authenticated connection, right after the envelopes that waited in
 * the mailbox, so a one-shot receive knows when it has everything.
 */
class QueueEmptyTest {
    @TempDir
    Path data;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void itFollowsTheBacklogOnceAndLaterEnvelopesDoNotRepeatIt() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            TestDevice alice = new TestDevice("alice");
            TestDevice bob = new TestDevice("bob");
            bob.registered(fixture.relay).close();
            try (TestClient aliceClient = alice.registered(fixture.relay)) {
                for (int i = 0; i < 3; i++) {
                    aliceClient.ok(bob.identifiedSendTo(aliceClient, bytes("queued " + i)));
                }
                try (TestClient bobClient = bob.authenticated(fixture.relay)) {
                    for (int i = 0; i < 3; i++) {
                        Frames.Deliver d = bobClient.deliver();
                        assertThat(d.envelope()).isEqualTo(bytes("queued " + i));
                        bobClient.ok(new Frames.Ack(bobClient.nextId(), d.envelopeId()));
                    }
                    aliceClient.ok(bob.identifiedSendTo(aliceClient, bytes("live")));
                    assertThat(bobClient.deliver().envelope()).isEqualTo(bytes("live"));
                    assertThat(bobClient.queueEmptyAfter()).as("once, after the three queued ones").containsExactly(3);
                }
            }
            try (TestClient again = bob.authenticated(fixture.relay)) {
                // the live envelope was not acknowledged: it is the backlog of the next connection
                assertThat(again.deliver().envelope()).isEqualTo(bytes("live"));
                again.ok(new Frames.PreKeyCounts(again.nextId()));
                assertThat(again.queueEmptyAfter()).containsExactly(1);
            }
        }
    }
}
