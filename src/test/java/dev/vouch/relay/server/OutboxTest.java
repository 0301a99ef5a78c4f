package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final long SECOND = 1_000_000_000L;

    /** A network that holds every frame until the test says it was written. */
    private static final class StalledTransport implements Outbox.Transport {
        final List<Runnable> unwritten = new ArrayList<>();
        final List<Integer> closes = new ArrayList<>();
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public synchronized void send(String text, Runnable written, Consumer<Throwable> failed) {
            unwritten.add(written);
        }

        @Override
        public synchronized void close(int code, String reason) {
            closes.add(code);
        }

        @Override
        public void disconnect() {
            disconnected.countDown();
        }
    }

    @Test
    void morePendingFramesThanTheLimitCloseWith1008() throws Exception {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 256, Duration.ofMinutes(5));
        for (int i = 0; i < 256; i++) {
            assertThat(outbox.send("frame " + i, () -> { })).isTrue();
        }
        assertThat(net.closes).isEmpty();
        assertThat(outbox.send("one too many", () -> { })).isFalse();
        assertThat(net.closes).containsExactly(1008);
        assertThat(outbox.overflowed()).isTrue();
        assertThat(outbox.send("after closing", () -> { })).isFalse();
        assertThat(net.closes).containsExactly(1008);
    }

    @Test
    void writtenFramesMakeRoom() {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 8, Duration.ofMinutes(5));
        List<Integer> done = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 8; i++) {
                int n = round * 8 + i;
                assertThat(outbox.send("frame", () -> done.add(n))).isTrue();
            }
            assertThat(outbox.pending()).isEqualTo(8);
            List<Runnable> written = new ArrayList<>(net.unwritten);
            net.unwritten.clear();
            written.forEach(Runnable::run);
            written.forEach(Runnable::run); // a callback reported twice counts once
            assertThat(outbox.pending()).isZero();
        }
        assertThat(done).hasSize(40);
        assertThat(net.closes).isEmpty();
    }

    @Test
    void aFrameNotWrittenInTimeDropsTheConnection() {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 256, Duration.ofSeconds(10));
        long sent = System.nanoTime();
        outbox.send("stuck", () -> { });
        assertThat(outbox.checkWrites(sent + 9 * SECOND)).isFalse();
        assertThat(net.disconnected.getCount()).isEqualTo(1);
        assertThat(outbox.checkWrites(sent + 11 * SECOND)).isTrue();
        assertThat(net.disconnected.getCount()).isZero();
        assertThat(outbox.checkWrites(sent + 12 * SECOND)).as("dropped once").isFalse();
    }

    @Test
    void aFrameWrittenInTimeKeepsTheConnection() {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 256, Duration.ofSeconds(10));
        long sent = System.nanoTime();
        outbox.send("first", () -> { });
        outbox.send("second", () -> { });
        net.unwritten.get(0).run();
        assertThat(outbox.checkWrites(sent + 9 * SECOND)).as("the second frame is not late yet").isFalse();
        net.unwritten.get(1).run();
        assertThat(outbox.checkWrites(sent + 60 * SECOND)).as("nothing is left unwritten").isFalse();
        assertThat(net.disconnected.getCount()).isEqualTo(1);
    }

    @Test
    void aPeerThatNeverReadsTheCloseFrameIsDroppedAfterTheWriteTimeout() {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 1, Duration.ofSeconds(10));
        outbox.send("fills the queue", () -> { });
        net.unwritten.get(0).run(); // written: the queue is empty again, but the close below is never read
        outbox.send("one", () -> { });
        long closing = System.nanoTime();
        assertThat(outbox.send("one too many", () -> { })).isFalse();
        assertThat(net.closes).containsExactly(1008);
        net.unwritten.get(1).run();
        assertThat(outbox.checkWrites(closing)).isFalse();
        assertThat(outbox.checkWrites(closing + 11 * SECOND)).isTrue();
    }
}
