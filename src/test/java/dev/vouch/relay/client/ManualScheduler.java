package dev.vouch.relay.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Virtual time for {@link RelayConnection}: tasks run only when the test advances the clock, on the test's thread. */
final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long sequence;

    private static final class Task implements Cancellable {
        final long due;
        final long order;
        final Duration delay;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long order, Duration delay, Runnable action) {
            this.due = due;
            this.order = order;
            this.delay = delay;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Task task = new Task(now + delay.toNanos(), sequence++, delay, action);
        tasks.add(task);
        return task;
    }

    /** Moves the clock forward, running every task that falls due, in order. */
    void advance(Duration step) {
        long target;
        synchronized (this) {
            target = now + step.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                tasks.removeIf(t -> t.cancelled);
                next = tasks.stream().filter(t -> t.due <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = next.due;
            }
            next.action.run();
        }
    }

    /** The delays of the tasks still waiting, as they were scheduled. */
    synchronized List<Duration> pendingDelays() {
        return tasks.stream().filter(t -> !t.cancelled).map(t -> t.delay).toList();
    }
}
