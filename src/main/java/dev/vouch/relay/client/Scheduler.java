package dev.vouch.relay.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks later: reconnect attempts, request timeouts and pings. Injected so that tests can
 * drive time by hand instead of waiting for it.
 */
public interface Scheduler {
    /** A scheduled task that can still be called off. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    /** Real time, on one shared daemon thread. */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }

    /** The default scheduler's executor; tasks must be short (they only send frames or complete futures). */
    final class SystemScheduler implements Scheduler {
        static final SystemScheduler INSTANCE = new SystemScheduler();
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vouch-relay-timer");
            t.setDaemon(true);
            return t;
        });

        private SystemScheduler() {
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
