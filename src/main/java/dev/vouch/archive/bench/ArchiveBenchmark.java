package dev.vouch.archive.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.vouch.archive.ArchiveWriter;
import dev.vouch.archive.profile.ArchiveFiles;
import dev.vouch.archive.profile.ArchiveItem;
import dev.vouch.archive.profile.ProfileExporter;
import dev.vouch.archive.profile.ProfileImporter;
import dev.vouch.archive.profile.TransferMonitor;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.service.MessageUids;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.bench.SyntheticHistory;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The archive's figures on a large profile: export to a file and import into a new profile, each
 * timed from start to a durable result, with the heap the operation adds measured as the highest
 * heap left after any garbage collection during it, less the heap in use just before it.
 */
public final class ArchiveBenchmark {
    public static final char[] STORE_PASSPHRASE = "vouch archive benchmark".toCharArray();
    public static final char[] ARCHIVE_PASSPHRASE = "vouch archive benchmark archive".toCharArray();
    public static final String SOURCE = "source";
    public static final String TARGET = "target";
    public static final String ARCHIVE = "profile.vouch";
    private static final long SEED = 20261128L;
    private static final int VOCABULARY = 20_000;
    private static final int BATCH = 10_000;

    /**
     * One measured operation.
     *
     * @param extraHeapMb the most live heap the streaming added (after the key derivations), by full collections
     * @param extraHeapWithKdfMb the highest heap after any collection, the Argon2id runs included (their
     *     memory is set by their parameters, 64 MiB each by default, not by the size of the profile); an
     *     upper bound, as it counts garbage a young collection leaves behind
     */
    public record Phase(String name, double seconds, double extraHeapMb, double extraHeapWithKdfMb, double baselineHeapMb,
                        long messages, long bytes) {
    }

    private final Consumer<String> log;

    public ArchiveBenchmark(Consumer<String> log) {
        this.log = log;
    }

    /** Fills a new profile with {@code messages} synthetic messages in {@code conversations} conversations. */
    public void prepare(Path work, int messages, int conversations) throws Exception {
        Files.createDirectories(work);
        SecureRandom random = new SecureRandom();
        SyntheticHistory history = new SyntheticHistory(SEED, VOCABULARY, conversations);
        try (ProfileStore store = ProfileStore.create(work.resolve(SOURCE), STORE_PASSPHRASE,
                Argon2id.Params.RECOMMENDED, Clock.systemUTC())) {
            store.accounts().save(new Account("bench", 1, AccountIdentity.generate(random), DeviceIdentity.generate(random)));
            long[] ids = new long[conversations];
            for (int c = 0; c < conversations; c++) {
                store.contacts().add(history.peer(c), history.peer(c), Clock.systemUTC().instant());
                ids[c] = store.conversations().open(history.peer(c));
            }
            for (int done = 0; done < messages; done += BATCH) {
                int n = Math.min(BATCH, messages - done);
                List<NewMessage> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int conversation = history.nextConversation();
                    MessageBody body = history.next(conversation);
                    MessageStatus status = body.direction() == Direction.OUTGOING ? MessageStatus.DELIVERED : MessageStatus.READ;
                    batch.add(new NewMessage(ids[conversation], MessageUids.of(body), status, body));
                }
                store.messages().insertAll(batch);
                if ((done / BATCH) % 10 == 0) {
                    log.accept(String.format("  written %,d of %,d messages", done + n, messages));
                }
            }
        }
    }

    /** Exports the prepared profile (full archive, default Argon2id cost) to {@link #ARCHIVE}. */
    public Phase export(Path work) throws Exception {
        try (ProfileStore store = ProfileStore.open(work.resolve(SOURCE), Clock.systemUTC())) {
            store.unlock(STORE_PASSPHRASE);
            Path file = work.resolve(ARCHIVE);
            Files.deleteIfExists(file);
            HeapWatch heap = HeapWatch.start();
            long t0 = System.nanoTime();
            ProfileExporter.Result result = ArchiveFiles.export(store, ArchiveItem.Scope.FULL, file, ARCHIVE_PASSPHRASE,
                    ArchiveWriter.DEFAULT_PARAMS, false, heap, Clock.systemUTC());
            double seconds = (System.nanoTime() - t0) / 1e9;
            return heap.stop("export", seconds, result.end().messages(), Files.size(file));
        }
    }

    /** Imports {@link #ARCHIVE} into a new profile (created with the default Argon2id cost) in {@link #TARGET}, which must not hold one. */
    public Phase importArchive(Path work) throws Exception {
        Path target = work.resolve(TARGET);
        HeapWatch heap = HeapWatch.start();
        long t0 = System.nanoTime();
        ProfileImporter.Result result = ArchiveFiles.importAsNewProfile(target, STORE_PASSPHRASE,
                Argon2id.Params.RECOMMENDED, work.resolve(ARCHIVE), ARCHIVE_PASSPHRASE, heap, Clock.systemUTC());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return heap.stop("import", seconds, result.messagesImported(), Files.size(work.resolve(ARCHIVE)));
    }

    /** The stream's encryption rate beside raw AES-256-GCM over the same 64 KiB chunks, in one run. */
    public record Throughput(double streamMibPerSecond, double rawMibPerSecond) {
        public double ratio() {
            return streamMibPerSecond / rawMibPerSecond;
        }
    }

    /**
     * Encrypts {@code mib} MiB through {@link ArchiveWriter} (framing, chunk buffer, associated
     * data; to a sink) and the same chunks with {@link dev.vouch.protocol.crypto.AesGcm} directly,
     * alternating five rounds of each after a warm-up and keeping each one's best. Rates are per
     * second of this thread's CPU time, so other load on the machine does not skew the ratio.
     */
    public Throughput streamThroughput(int mib) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        new SecureRandom().nextBytes(chunk);
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] aad = new byte[95];
        int chunks = mib * 16;
        Argon2id.Params cheapest = new Argon2id.Params(8, 1, 1);
        double bestStream = 0;
        double bestRaw = 0;
        java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 6; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            try (ArchiveWriter writer = ArchiveWriter.create(java.io.OutputStream.nullOutputStream(),
                    "throughput".toCharArray(), cheapest)) {
                for (int i = 0; i < chunks; i++) {
                    writer.write(chunk, 0, chunk.length);
                }
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < chunks; i++) {
                nonce[11] = (byte) i;
                dev.vouch.protocol.crypto.AesGcm.encrypt(key, nonce, chunk, aad);
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            if (round > 0) { // the first round warms both paths up
                bestStream = Math.max(bestStream, mib / ((t1 - t0) / 1e9));
                bestRaw = Math.max(bestRaw, mib / ((t2 - t1) / 1e9));
            }
        }
        return new Throughput(bestStream, bestRaw);
    }

    /**
     * The heap an operation keeps alive. The highest heap left after any garbage collection from
     * just before the operation to its end includes garbage a young collection leaves in the old
     * generation, so it overstates; while the operation streams, ten full collections spread over
     * its progress measure what is really alive (they cost the timed run a few hundred
     * milliseconds). The part before the first progress report (the key derivations) is kept apart.
     */
    private static final class HeapWatch implements TransferMonitor {
        private static final int PROBES = 10;
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicLong peakStreaming = new AtomicLong();
        private volatile boolean streaming;
        private long nextProbe;
        private final List<Runnable> removals = new ArrayList<>();
        private long baseline;

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            System.gc();
            watch.baseline = heapUsed();
            watch.peakAfterGc.set(watch.baseline);
            watch.peakStreaming.set(watch.baseline);
            NotificationListener listener = (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    watch.peakAfterGc.accumulateAndGet(after, Math::max);
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    watch.removals.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException e) {
                            // already gone
                        }
                    });
                }
            }
            return watch;
        }

        @Override
        public void progress(long done, long total) {
            if (done > 0 && !streaming) {
                streaming = true;
                nextProbe = done;
            }
            if (streaming && done >= nextProbe) {
                nextProbe = done + Math.max(1, total / PROBES);
                System.gc();
                peakStreaming.accumulateAndGet(heapUsed(), Math::max);
            }
        }

        Phase stop(String name, double seconds, long messages, long bytes) {
            // A last collection shows what the operation still held at its end.
            System.gc();
            try {
                Thread.sleep(200); // notifications arrive on their own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            removals.forEach(Runnable::run);
            double mb = 1024.0 * 1024.0;
            return new Phase(name, seconds, (peakStreaming.get() - baseline) / mb, (peakAfterGc.get() - baseline) / mb,
                    baseline / mb, messages, bytes);
        }

        private static long heapUsed() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
