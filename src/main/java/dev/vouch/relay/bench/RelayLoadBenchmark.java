package dev.vouch.relay.bench;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.client.RelayEndpoint;
import dev.vouch.relay.client.Scheduler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Puts a relay under load the way its users would: {@code clients} devices, each registered and
 * holding an authenticated mailbox connection and a second, unauthenticated connection it sends
 * over (sealed sender), all through the real {@link RelayConnection} over TLS 1.3. Each phase sends
 * envelopes at a fixed rate from round-robin senders to random other devices; every recipient
 * acknowledges what it receives, as the app does after storing a message.
 *
 * <p>The schedule is open-loop: envelope {@code i} of a phase is due at {@code start + i / rate}
 * whatever happened to the ones before it, and its latency runs from that due time to its
 * {@code deliver} frame, so a relay that stalls is charged for every envelope that waited behind
 * the stall (no coordinated omission). Each envelope carries its sequence number, due time and
 * recipient in its first bytes (the relay cannot read envelopes anyway); the rest is random, and
 * it is as long as a sealed envelope of a short message.
 *
 * <p>Everything is bounded: a phase sends {@code rate × duration} envelopes at most, then waits at
 * most the drain time for the last deliveries.
 */
public final class RelayLoadBenchmark implements AutoCloseable {
    /** Sequence number, due time ({@link System#nanoTime}), recipient index. */
    public static final int HEADER = 8 + 8 + 4;
    private static final int CONNECTS_IN_FLIGHT = 32;
    private static final long CHECK_EVERY_NANOS = 100_000_000L;

    /**
     * @param clients devices, each with a mailbox connection and a sending connection
     * @param envelopeBytes the length of every envelope
     * @param drain how long a phase waits after its last send for deliveries still on their way
     * @param requestTimeout how long a client waits for an answer (as in the app)
     */
    public record Settings(int clients, int envelopeBytes, Duration drain, Duration requestTimeout) {
        public Settings {
            if (clients < 2) {
                throw new IllegalArgumentException("at least two clients: envelopes go to another device");
            }
            if (envelopeBytes < HEADER || envelopeBytes > Frames.MAX_ENVELOPE) {
                throw new IllegalArgumentException("envelopes are " + HEADER + ".." + Frames.MAX_ENVELOPE + " bytes");
            }
        }
    }

    /** The outcome of {@link #findMax}: every step, and the highest rate that was sustained (0 if none). */
    public record MaxSearch(List<PhaseResult> steps, int maxSustainedRate) {
        public MaxSearch {
            steps = List.copyOf(steps);
        }
    }

    private final BenchRelay relay;
    private final Settings settings;
    private final Consumer<String> progress;
    private final ExecutorService io;
    private final ScheduledThreadPoolExecutor timer;
    private final RelayEndpoint endpoint;
    private final RelayConnection.Options options;
    private final List<Device> devices = new ArrayList<>();
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final byte[] filler;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong ackFailures = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong(System.nanoTime());
    private long nextSeq = 1;

    public RelayLoadBenchmark(BenchRelay relay, Settings settings, Consumer<String> progress) {
        this.relay = relay;
        this.settings = settings;
        this.progress = progress;
        AtomicInteger n = new AtomicInteger();
        // The clients' TLS, frames and listeners run on a few threads shared by every connection.
        this.io = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "bench-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        Scheduler scheduler = (delay, task) -> {
            var future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
        this.options = RelayConnection.Options.defaults().withScheduler(scheduler).withRequestTimeout(settings.requestTimeout());
        this.endpoint = RelayEndpoint.of(relay.invite(), options.connectTimeout(), io);
        this.filler = new byte[settings.envelopeBytes()];
        new SecureRandom().nextBytes(filler);
    }

    /**
     * Makes the devices' keys, then connects, registers and opens the sending connection of every
     * device, {@value #CONNECTS_IN_FLIGHT} at a time.
     *
     * @return how long it took
     * @throws IOException when a device could not connect or register within {@code timeout}
     */
    public Duration connect(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        SecureRandom random = new SecureRandom();
        String run = runPrefix(random);
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long deadline = start + timeout.toNanos();
        for (int i = 0; i < settings.clients(); i++) {
            Device device = new Device(i, run + "-" + i, random);
            devices.add(device);
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IOException("connecting " + settings.clients() + " clients took longer than "
                        + timeout.toSeconds() + " s (" + i + " started)");
            }
            if (failure.get() != null) {
                break;
            }
            CompletableFuture<Void> done = device.open(random).whenComplete((v, e) -> {
                slots.release();
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            all.add(done);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException("a client could not connect and register: " + describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("connecting " + settings.clients() + " clients took longer than "
                    + timeout.toSeconds() + " s");
        }
        if (failure.get() != null) {
            throw new IOException("a client could not connect and register: " + describe(failure.get()), failure.get());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A random prefix of this run's handles, so that runs against one relay never collide. */
    private static String runPrefix(SecureRandom random) {
        StringBuilder prefix = new StringBuilder("load");
        for (int i = 0; i < 6; i++) {
            prefix.append((char) ('a' + random.nextInt(26)));
        }
        return prefix.toString();
    }

    /**
     * Sends at {@code rate} envelopes per second for {@code duration}, then waits up to the drain
     * time for the rest of the deliveries. With {@code abortOnBacklog}, sending stops early once
     * more than two seconds' worth of envelopes are on their way: the relay is not keeping up.
     */
    public PhaseResult run(String name, int rate, Duration duration, boolean abortOnBacklog) throws InterruptedException {
        if (rate < 1) {
            throw new IllegalArgumentException("the rate must be positive");
        }
        long planned = Math.max(1, Math.round(rate * (duration.toNanos() / 1e9)));
        if (planned > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("too many envelopes for one phase");
        }
        int count = (int) planned;
        Phase phase = new Phase(name, rate, nextSeq, count);
        nextSeq += count;
        phases.add(phase);
        long relayCpu0 = relay.cpuNanos();
        long benchCpu0 = benchCpuNanos();
        long[] machine0 = MachineCpu.read();
        long reconnects0 = reconnects.get();
        SplittableRandom random = new SplittableRandom(phase.base);
        double interval = 1e9 / rate;
        long backlogLimit = Math.max(1_000L, 2L * rate);
        String aborted = null;
        long start = System.nanoTime();
        long nextCheck = start + CHECK_EVERY_NANOS;
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * interval);
            long now = System.nanoTime();
            while (now < due) {
                LockSupport.parkNanos(due - now);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                now = System.nanoTime();
            }
            send(phase, i, due, random);
            if (now >= nextCheck) {
                nextCheck = now + CHECK_EVERY_NANOS;
                long backlog = phase.sent.get() - phase.delivered.get() - phase.failed.get();
                if (abortOnBacklog && backlog > backlogLimit) {
                    aborted = String.format(Locale.ROOT, "backlog of %d envelopes after %.1f s", backlog,
                            (now - start) / 1e9);
                    break;
                }
            }
        }
        long end = System.nanoTime();
        phase.end = end;
        long relayCpu1 = relay.cpuNanos();
        long benchCpu1 = benchCpuNanos();
        long[] machine1 = MachineCpu.read();
        drain(phase, end + settings.drain().toNanos());
        double relayCores = relayCpu0 < 0 || relayCpu1 < 0 ? -1 : (relayCpu1 - relayCpu0) / (double) (end - start);
        double benchCores = benchCpu0 < 0 ? -1 : (benchCpu1 - benchCpu0) / (double) (end - start);
        double machineCores = MachineCpu.busyCores(machine0, machine1);
        double otherCores = machineCores < 0 || benchCores < 0 || (relayCores < 0 && !relay.inThisJvm()) ? -1
                : Math.max(0, machineCores - benchCores - Math.max(0, relayCores));
        return phase.result(settings.clients(), (end - start) / 1e9, relayCores, benchCores, otherCores,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), aborted,
                reconnects.get() - reconnects0);
    }

    /**
     * Steps the rate up from {@code from} by a quarter each step, each held for {@code step},
     * until a step is not sustained, then halves the gap between the best sustained and the first
     * failed rate while it is wider than 5%; at most {@code maxSteps} steps and never above
     * {@code ceiling}. {@code from} itself counts as sustained when {@code fromSustained}; otherwise
     * the search goes down from it.
     */
    public MaxSearch findMax(int from, boolean fromSustained, Duration step, int ceiling, int maxSteps,
                             double p99TargetMillis, Consumer<PhaseResult> onStep) throws InterruptedException {
        List<PhaseResult> steps = new ArrayList<>();
        int good = fromSustained ? from : 0;
        int bad = fromSustained ? Integer.MAX_VALUE : from;
        for (int n = 1; n <= maxSteps; n++) {
            int next;
            if (bad == Integer.MAX_VALUE) {
                next = Math.min(ceiling, round(good * 1.25));
            } else if (good == 0) {
                next = round(bad / 2.0);
            } else {
                next = round((good + (double) bad) / 2);
            }
            if (next <= good || next >= bad || next < 10) {
                break;
            }
            if (good > 0 && bad != Integer.MAX_VALUE && bad - good <= Math.max(50, good / 20)) {
                break;
            }
            settle(Duration.ofSeconds(30));
            PhaseResult result = run("step " + n, next, step, true);
            steps.add(result);
            onStep.accept(result);
            if (result.sustained(p99TargetMillis)) {
                good = next;
                if (next >= ceiling) {
                    break;
                }
            } else {
                bad = next;
            }
        }
        return new MaxSearch(steps, good);
    }

    /** Rates to the nearest 100 above 1,000, to the nearest 10 below. */
    private static int round(double rate) {
        return rate >= 1000 ? (int) (Math.round(rate / 100) * 100) : (int) (Math.round(rate / 10) * 10);
    }

    /** Waits until no envelope has arrived for a second (at most {@code max}), so one phase's stragglers do not load the next. */
    public void settle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline && System.nanoTime() - lastDelivery.get() < 1_000_000_000L) {
            Thread.sleep(50);
        }
    }

    /** Acknowledgements the relay refused or did not answer, over the whole run. */
    public long ackFailures() {
        return ackFailures.get();
    }

    /** Envelopes that were not this benchmark's (they should never come). */
    public long foreignEnvelopes() {
        return foreign.get();
    }

    private void drain(Phase phase, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (phase.accepted.get() + phase.failed.get() == phase.sent.get() && phase.undelivered() == 0) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private void send(Phase phase, int index, long due, SplittableRandom random) {
        int clients = devices.size();
        int from = index % clients;
        int to = (from + 1 + random.nextInt(clients - 1)) % clients;
        byte[] envelope = filler.clone();
        ByteBuffer.wrap(envelope).putLong(phase.base + index).putLong(due).putInt(to);
        Device recipient = devices.get(to);
        phase.sent.incrementAndGet();
        devices.get(from).sender.send(recipient.handle, 1, envelope, recipient.accessKey).whenComplete((time, error) -> {
            if (error == null) {
                phase.accept.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                phase.acceptedBits.set(index);
                phase.accepted.incrementAndGet();
            } else {
                phase.failed.incrementAndGet();
                phase.firstError.compareAndSet(null, describe(error));
            }
        });
    }

    private void received(int recipient, Frames.Deliver deliver) {
        long now = System.nanoTime();
        lastDelivery.set(now);
        byte[] envelope = deliver.envelope();
        Phase phase = null;
        long seq = 0;
        if (envelope.length >= HEADER) {
            seq = ByteBuffer.wrap(envelope).getLong(0);
            phase = phaseOf(seq);
        }
        if (phase == null) {
            foreign.incrementAndGet();
            return;
        }
        ByteBuffer header = ByteBuffer.wrap(envelope);
        long due = header.getLong(8);
        int to = header.getInt(16);
        if (to != recipient) {
            phase.misdelivered.incrementAndGet();
            return;
        }
        if (!phase.deliveredBits.set((int) (seq - phase.base))) {
            phase.duplicates.incrementAndGet();
            return;
        }
        phase.latency.recordValue(Math.max(0, (now - due) / 1000));
        phase.delivered.incrementAndGet();
        if (now <= phase.end) {
            phase.inWindow.incrementAndGet();
        }
    }

    private Phase phaseOf(long seq) {
        for (int i = phases.size() - 1; i >= 0; i--) {
            Phase p = phases.get(i);
            if (seq >= p.base && seq < p.base + p.count) {
                return p;
            }
        }
        return null;
    }

    private static long benchCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Closes every connection; the relay's mailboxes are left as they are. */
    @Override
    public void close() {
        for (Device device : devices) {
            device.close();
        }
        io.shutdown();
        timer.shutdownNow();
        try {
            io.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
    }

    /** One simulated device. */
    private final class Device implements RelayConnection.Listener {
        final int index;
        final String handle;
        final byte[] accessKey = new byte[Frames.ACCESS_KEY_LENGTH];
        final RelayConnection mailbox;
        final RelayConnection sender;

        Device(int index, String handle, SecureRandom random) {
            this.index = index;
            this.handle = handle;
            random.nextBytes(accessKey);
            this.mailbox = new RelayConnection(endpoint, options, this);
            this.sender = new RelayConnection(endpoint, options, new RelayConnection.Listener() {
                @Override
                public void onDeliver(Frames.Deliver deliver) {
                    foreign.incrementAndGet(); // never authenticated: nothing is delivered here
                }

                @Override
                public void onStateChanged(RelayConnection.State state, Optional<dev.vouch.relay.client.RelayException> cause) {
                    countReconnect(state);
                }
            });
        }

        CompletableFuture<Void> open(SecureRandom random) {
            AccountIdentity account = AccountIdentity.generate(random);
            DeviceIdentity identity = DeviceIdentity.generate(random);
            return mailbox.connect()
                    .thenCompose(v -> mailbox.register(handle, account, 1, identity, accessKey))
                    .thenCompose(v -> sender.connect());
        }

        @Override
        public void onDeliver(Frames.Deliver deliver) {
            received(index, deliver);
            mailbox.ack(deliver.envelopeId()).whenComplete((v, error) -> {
                if (error != null) {
                    ackFailures.incrementAndGet();
                }
            });
        }

        @Override
        public void onStateChanged(RelayConnection.State state, Optional<dev.vouch.relay.client.RelayException> cause) {
            countReconnect(state);
        }

        void close() {
            sender.close();
            mailbox.close();
        }
    }

    private void countReconnect(RelayConnection.State state) {
        if (state == RelayConnection.State.RECONNECTING) {
            reconnects.incrementAndGet();
        }
    }

    /** A fixed-size set of bits that several threads set at once. */
    static final class Bits {
        private final AtomicLongArray words;

        Bits(int size) {
            words = new AtomicLongArray((size + 63) / 64);
        }

        /** Sets bit {@code i}; false when it was set already. */
        boolean set(int i) {
            long mask = 1L << i;
            int w = i >>> 6;
            while (true) {
                long old = words.get(w);
                if ((old & mask) != 0) {
                    return false;
                }
                if (words.compareAndSet(w, old, old | mask)) {
                    return true;
                }
            }
        }

        /** How many bits are set here and not in {@code other}. */
        long countNotIn(Bits other) {
            long n = 0;
            for (int w = 0; w < words.length(); w++) {
                n += Long.bitCount(words.get(w) & ~other.words.get(w));
            }
            return n;
        }
    }

    /** What one phase sent and what came of it. */
    private static final class Phase {
        final String name;
        final int rate;
        final long base;
        final int count;
        final Bits acceptedBits;
        final Bits deliveredBits;
        final Recorder latency = new Recorder(3);
        final Recorder accept = new Recorder(3);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong inWindow = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong misdelivered = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        volatile long end = Long.MAX_VALUE;

        Phase(String name, int rate, long base, int count) {
            this.name = name;
            this.rate = rate;
            this.base = base;
            this.count = count;
            this.acceptedBits = new Bits(count);
            this.deliveredBits = new Bits(count);
        }

        long undelivered() {
            return acceptedBits.countNotIn(deliveredBits);
        }

        PhaseResult result(int clients, double seconds, double relayCpu, double benchCpu, double otherCpu, double load,
                           String aborted, long reconnects) {
            Histogram l = latency.getIntervalHistogram();
            Histogram a = accept.getIntervalHistogram();
            long unanswered = sent.get() - accepted.get() - failed.get();
            if (unanswered > 0) {
                firstError.compareAndSet(null, unanswered + " sends unanswered when the phase ended");
            }
            return new PhaseResult(name, clients, rate, seconds, sent.get(), accepted.get(), failed.get() + unanswered,
                    delivered.get(), inWindow.get(), undelivered(), duplicates.get(), misdelivered.get(),
                    ms(l, 50), ms(l, 90), ms(l, 99), ms(l, 99.9), l.getTotalCount() == 0 ? 0 : l.getMaxValue() / 1000.0,
                    ms(a, 50), ms(a, 99), relayCpu, benchCpu, otherCpu, load, aborted, reconnects, firstError.get());
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}
