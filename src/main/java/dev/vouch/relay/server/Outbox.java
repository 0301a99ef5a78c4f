package dev.vouch.relay.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The frames one connection has handed to the network and not yet seen written. A peer that stops
 * reading makes them pile up: beyond {@code maxQueued} the connection is closed with 1008 (its
 * mailbox keeps the envelopes), and a frame not written within the write timeout drops the
 * connection, so a stalled peer never holds the relay's memory.
 *
 * <p>Deadlines are not a timer task per frame (at thousands of frames a second, scheduling and
 * cancelling them, and waking the timer thread, cost the relay noticeable CPU): the outbox keeps
 * the times its frames were handed over, oldest first, and {@link #checkWrites} (which the relay
 * runs for every connection about once a second) drops the connection when the oldest is overdue.
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
    private final long writeTimeoutNanos;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean dropped = new AtomicBoolean();
    /** When each unwritten frame was handed to the network ({@link System#nanoTime}), oldest first; guarded by itself. */
    private final ArrayDeque<Long> handedOver = new ArrayDeque<>();
    private volatile long overflowedAt;

    Outbox(Transport transport, int maxQueued, Duration writeTimeout) {
        this.transport = transport;
        this.maxQueued = maxQueued;
        this.writeTimeoutNanos = writeTimeout.toNanos();
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
                overflowedAt = System.nanoTime();
                transport.close(CLOSE_QUEUE_FULL, "more than " + maxQueued + " frames queued: read faster");
                // the close frame waits behind the queue; if the peer never reads it, checkWrites drops the connection
            }
            return false;
        }
        synchronized (handedOver) {
            handedOver.addLast(System.nanoTime());
        }
        AtomicBoolean done = new AtomicBoolean();
        transport.send(text, () -> {
            if (done.compareAndSet(false, true)) {
                settled();
                written.run();
            }
        }, failure -> {
            if (done.compareAndSet(false, true)) {
                settled();
            }
        });
        return true;
    }

    /** One frame was written or failed; the network settles them in the order they were sent. */
    private void settled() {
        synchronized (handedOver) {
            handedOver.pollFirst();
        }
        pending.decrementAndGet();
    }

    /**
     * Drops the connection when its oldest unwritten frame (or, after an overflow, its close frame)
     * has waited longer than the write timeout at {@code now} ({@link System#nanoTime}). True when
     * it did.
     */
    boolean checkWrites(long now) {
        long oldest;
        synchronized (handedOver) {
            Long first = handedOver.peekFirst();
            oldest = first == null ? Long.MAX_VALUE : first;
        }
        boolean late = oldest != Long.MAX_VALUE && now - oldest > writeTimeoutNanos;
        boolean unreadClose = overflowed.get() && now - overflowedAt > writeTimeoutNanos;
        if ((late || unreadClose) && dropped.compareAndSet(false, true)) {
            transport.disconnect();
            return true;
        }
        return false;
    }
}
