package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Wire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers that misbehave below the JSON: they stop reading, send invalid UTF-8, or only ping. */
class SlowReaderTest {
    private static final int ENVELOPES = 80;

    @TempDir
    Path data;

    @Test
    void aPeerThatStopsReadingIsClosedWith1008AndItsMailboxKeepsEverything() throws Exception {
        Limits limits = new Limits(256, Duration.ofSeconds(120), Duration.ofSeconds(2), 5, 64,
                RelayStorage.Quota.DEFAULT, 1000, 10, Duration.ofDays(30), Duration.ofHours(1), 30, 120, 60);
        try (RelayFixture fixture = new RelayFixture(data, limits)) {
            RelayServer relay = fixture.relay;
            TestDevice bob = new TestDevice("bob");
            bob.registered(relay).close();
            try (TestClient sender = TestClient.connect(relay)) {
                for (int i = 0; i < ENVELOPES; i++) {
                    byte[] envelope = new byte[256 * 1024];
                    envelope[0] = (byte) i;
                    sender.ok(bob.sendTo(sender, envelope));
                }
            }
            try (RawWebSocket raw = RawWebSocket.connect(relay.port(), relay.spkiPin(), 4096)) {
                Frames.Hello hello = (Frames.Hello) Wire.decode(raw.read().text());
                byte[] signature = bob.identity.sign(AuthStrings.authentication(hello.challenge(), "bob", 1));
                raw.sendText(Wire.encode(new Frames.Authenticate(1, "bob", 1, signature)));
                // 64 deliveries of 256 KiB fill the socket buffers; the answers to these requests then pile up
                for (int i = 0; i < 300; i++) {
                    raw.sendText(Wire.encode(new Frames.PreKeyCounts(2 + i)));
                }
                assertThat(fixture.awaitEvent("event=closing code=1008", Duration.ofSeconds(30))).contains("queued");
                // what is still in the pipe ends with the close frame, or with the connection dropped after the write timeout
                int closeCode = -1;
                try {
                    while (true) {
                        RawWebSocket.Frame frame = raw.read();
                        if (frame.opcode() == RawWebSocket.CLOSE) {
                            closeCode = frame.closeCode();
                            break;
                        }
                    }
                } catch (IOException dropped) {
                    closeCode = 0;
                }
                assertThat(closeCode).isIn(1008, 0);
            }
            // nothing was lost: a well-behaved connection gets every envelope
            try (TestClient bobClient = bob.authenticated(relay)) {
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < ENVELOPES; i++) {
                    Frames.Deliver d = bobClient.deliver();
                    seen.add((int) d.envelope()[0]);
                    bobClient.send(new Frames.Ack(bobClient.nextId(), d.envelopeId()));
                }
                assertThat(seen).hasSize(ENVELOPES);
            }
        }
    }

    @Test
    void invalidUtf8IsRefusedAndPingsAreAnswered() throws Exception {
        try (RelayFixture fixture = new RelayFixture(data)) {
            try (RawWebSocket raw = RawWebSocket.connect(fixture.relay.port(), fixture.relay.spkiPin(), 65536)) {
                assertThat(raw.read().text()).contains("\"type\":\"hello\"");
                raw.send(RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8));
                RawWebSocket.Frame pong = raw.read();
                assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
                assertThat(pong.text()).isEqualTo("are you there");
                raw.send(RawWebSocket.TEXT, new byte[] {'{', (byte) 0xFF, '}'});
                RawWebSocket.Frame close = raw.read();
                assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(close.closeCode()).isEqualTo(1007);
            }
            try (TestClient other = TestClient.connect(fixture.relay)) {
                assertThat(other.hello.protocol()).isEqualTo(1);
            }
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        Limits limits = new Limits(256, Duration.ofMillis(500), Duration.ofSeconds(10), 5, 64,
                RelayStorage.Quota.DEFAULT, 1000, 10, Duration.ofDays(30), Duration.ofHours(1), 30, 120, 60);
        try (RelayFixture fixture = new RelayFixture(data, limits);
             TestClient idle = TestClient.connect(fixture.relay)) {
            assertThat(idle.awaitClose()).isIn(1001, 1006);
            try (TestClient fresh = TestClient.connect(fixture.relay)) {
                assertThat(fresh.hello.protocol()).isEqualTo(1);
            }
        }
    }
}
