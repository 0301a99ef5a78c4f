package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

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
        Outbox outbox = new Outbox(net, 256, Duration.ofMinutes(5), timer);
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
        Outbox outbox = new Outbox(net, 8, Duration.ofMinutes(5), timer);
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
    void aFrameNotWrittenInTimeDropsTheConnection() throws Exception {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 256, Duration.ofMillis(50), timer);
        outbox.send("stuck", () -> { });
        assertThat(net.disconnected.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFrameWrittenInTimeKeepsTheConnection() throws Exception {
        StalledTransport net = new StalledTransport();
        Outbox outbox = new Outbox(net, 256, Duration.ofMillis(200), timer);
        outbox.send("quick", () -> { });
        net.unwritten.get(0).run();
        // a later timer task runs after the cancelled deadline would have: if it fired, we would see it
        CountDownLatch later = new CountDownLatch(1);
        timer.schedule(later::countDown, 400, TimeUnit.MILLISECONDS);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(net.disconnected.getCount()).isEqualTo(1);
    }
}
