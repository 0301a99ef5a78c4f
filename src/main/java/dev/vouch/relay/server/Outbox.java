package dev.vouch.relay.server;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The frames one connection has handed to the network and not yet seen written. A peer that stops
 * reading makes them pile up: beyond {@code maxQueued} the connection is closed with 1008 (its
 * mailbox keeps the envelopes), and a frame not written within the write timeout drops the
 * connection, so a stalled peer never holds the relay's memory.
 */
final class Outbox {
    /** Policy violation: the WebSocket close code for a peer that does not read. */
    static final int CLOSE_QUEUE_FULL = 1008;

    /** The network side of a connection. */
    interface Transport {
        void send(String text, Runnable written, Consumer<Throwable> failed);

        void close(int code, String reason);

        void disconnect();
    }

    private final Transport transport;
    private final int maxQueued;
    private final Duration writeTimeout;
    private final ScheduledExecutorService timer;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();

    Outbox(Transport transport, int maxQueued, Duration writeTimeout, ScheduledExecutorService timer) {
        this.transport = transport;
        this.maxQueued = maxQueued;
        this.writeTimeout = writeTimeout;
        this.timer = timer;
    }

    /** Frames handed to the network and not yet written. */
    int pending() {
        return pending.get();
    }

    boolean overflowed() {
        return overflowed.get();
    }

    /**
     * Queues one frame; {@code written} runs once it is on the wire. False (and the connection is
     * closing) when the queue is full.
     */
    boolean send(String text, Runnable written) {
        if (overflowed.get()) {
            return false;
        }
        if (pending.incrementAndGet() > maxQueued) {
            pending.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                transport.close(CLOSE_QUEUE_FULL, "more than " + maxQueued + " frames queued: read faster");
                // the close frame waits behind the queue; if the peer never reads it, drop the connection
                timer.schedule(transport::disconnect, writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return false;
        }
        ScheduledFuture<?> deadline = timer.schedule(transport::disconnect, writeTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        AtomicBoolean done = new AtomicBoolean();
        transport.send(text, () -> {
            if (done.compareAndSet(false, true)) {
                deadline.cancel(false);
                pending.decrementAndGet();
                written.run();
            }
        }, failure -> {
            if (done.compareAndSet(false, true)) {
                deadline.cancel(false);
                pending.decrementAndGet();
            }
        });
        return true;
    }
}
