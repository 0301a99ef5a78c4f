package dev.vouch.store.bench;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.Warmup;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.search.SearchService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The store benchmark behind {@code vouch bench store}: builds a history of synthetic messages in
 * an encrypted profile and, beside it, in plain SQLite tables of the same shape, then measures
 * both. The read phase runs in a fresh JVM so unlock time and resident memory are those of a
 * process that just opened the store.
 */
public final class StoreBenchmark {
    static final char[] PASSPHRASE = "vouch benchmark passphrase".toCharArray();
    static final String PROFILE = "profile";
    static final String PLAIN = "plain.db";
    private static final long SEED = 20261127L;
    private static final int VOCABULARY = 20_000;

    private final Consumer<String> log;

    public StoreBenchmark(Consumer<String> log) {
        this.log = log;
    }

    public record WriteResult(long messages, double encryptedPerSecond, double plainPerSecond,
                              long encryptedBytes, long plainBytes, long plaintextBytes, double indexBuildSeconds) {
    }

    public record ReadResult(double warmupMillis, double unlockMillis, double newestMedianMillis, double newestP95Millis,
                             double pageMedianMillis, double pageP95Millis, double plainNewestMedianMillis,
                             double plainPageMedianMillis, double searchReadyMillis, String searchOrigin,
                             double searchMedianMillis, double searchP95Millis, double twoTermMedianMillis,
                             long residentBytes, double aroundMedianMillis, double aroundP95Millis,
                             double newerMedianMillis) {
    }

    /** Builds the two databases in {@code work} (which must not hold them yet). */
    public WriteResult write(Path work, int messages, int conversations, int batch, Argon2id.Params kdf)
            throws StoreException, SQLException, IOException {
        Files.createDirectories(work);
        SyntheticHistory history = new SyntheticHistory(SEED, VOCABULARY, conversations);
        long encryptedNanos = 0;
        long plainNanos = 0;
        long plaintextBytes = 0;
        double indexSeconds;
        try (ProfileStore store = ProfileStore.create(work.resolve(PROFILE), PASSPHRASE, kdf, Clock.systemUTC());
             PlainBaseline plain = PlainBaseline.create(work.resolve(PLAIN), conversations, history)) {
            for (int c = 0; c < conversations; c++) {
                store.conversations().open(history.peer(c));
            }
            long nextId = 1;
            for (int done = 0; done < messages; done += batch) {
                int n = Math.min(batch, messages - done);
                List<NewMessage> encrypted = new ArrayList<>(n);
                List<PlainBaseline.Row> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int conversation = history.nextConversation();
                    MessageBody body = history.next(conversation);
                    byte[] uid = history.uid();
                    MessageStatus status = body.direction() == Direction.OUTGOING ? MessageStatus.DELIVERED : MessageStatus.READ;
                    encrypted.add(new NewMessage(conversation + 1L, uid, status, body));
                    rows.add(new PlainBaseline.Row(nextId++, conversation + 1L, uid, status.code(), body));
                    plaintextBytes += body.text().length();
                }
                long t0 = System.nanoTime();
                store.messages().insertAll(encrypted);
                long t1 = System.nanoTime();
                plain.insertBatch(rows);
                long t2 = System.nanoTime();
                encryptedNanos += t1 - t0;
                plainNanos += t2 - t1;
                if ((done / batch) % 100 == 0) {
                    log.accept(String.format("  written %,d of %,d messages", done + n, messages));
                }
            }
            plain.checkpoint();
            // The app keeps an encrypted search snapshot up to date; build it once, as a running app would have.
            long b0 = System.nanoTime();
            buildSearchSnapshot(store);
            indexSeconds = (System.nanoTime() - b0) / 1e9;
        }
        long encryptedBytes = sizeOf(work.resolve(PROFILE).resolve(ProfileStore.DATABASE_FILE));
        long plainBytes = sizeOf(work.resolve(PLAIN));
        return new WriteResult(messages, messages / (encryptedNanos / 1e9), messages / (plainNanos / 1e9),
                encryptedBytes, plainBytes, plaintextBytes, indexSeconds);
    }

    /**
     * Builds the search index of an unlocked store and saves its encrypted snapshot, as a running
     * app would have left it, so a later unlock reads the snapshot rather than indexing everything.
     */
    public static void buildSearchSnapshot(ProfileStore store) throws StoreException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SearchService search = SearchService.attach(store, executor)) {
            search.rebuild();
            if (!search.awaitReady(Duration.ofMinutes(10))) {
                throw new IllegalStateException("search index did not become ready: " + search.state());
            }
            search.persistNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the search index", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Unlocks and reads; meant to run in a fresh JVM. Like the app, it first opens the store
     * locked and warms the crypto paths, which the app does while the unlock screen waits for the
     * passphrase; that time is reported separately from the unlock itself (passphrase to list).
     */
    public ReadResult read(Path work, int samples) throws StoreException, SQLException, MalformedDataException {
        long w = System.nanoTime();
        CompletableFuture<Void> warmup = Warmup.start();
        ProfileStore store = ProfileStore.open(work.resolve(PROFILE), Clock.systemUTC());
        warmup.join();
        double warmupMillis = (System.nanoTime() - w) / 1e6;
        long t0 = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vouch-search");
            thread.setDaemon(true);
            return thread;
        });
        store.unlock(PASSPHRASE);
        int conversations = store.conversations().list().size();
        double unlockMillis = (System.nanoTime() - t0) / 1e6;
        // As in the app: the conversation list comes first, then search loads in the background,
        // so the snapshot load never competes with unlocking for the CPU.
        long unlocked = System.nanoTime();
        SearchService search = SearchService.attach(store, executor);
        try (store; search; PlainBaseline plain = PlainBaseline.open(work.resolve(PLAIN))) {
            boolean ready;
            try {
                ready = search.awaitReady(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for search", e);
            }
            double searchReadyMillis = (System.nanoTime() - unlocked) / 1e6;
            if (!ready) {
                throw new IllegalStateException("search did not become ready: " + search.state());
            }
            SyntheticHistory words = new SyntheticHistory(SEED, VOCABULARY, conversations);
            double[] single = new double[samples];
            double[] pair = new double[samples];
            for (int i = 0; i < samples; i++) {
                String a = words.word();
                String b = words.word();
                long q0 = System.nanoTime();
                search.search(a, 50);
                long q1 = System.nanoTime();
                search.search(a + " " + b.substring(0, Math.min(3, b.length())), 50);
                long q2 = System.nanoTime();
                single[i] = (q1 - q0) / 1e6;
                pair[i] = (q2 - q1) / 1e6;
            }
            Random random = new Random(SEED);
            long[] chosen = new long[samples];
            for (int i = 0; i < samples; i++) {
                chosen[i] = 1 + random.nextInt(conversations);
            }
            double[] newest = new double[samples];
            double[] older = new double[samples];
            double[] plainNewest = new double[samples];
            double[] plainOlder = new double[samples];
            // Interleaved, so neither side profits from a warmer JIT or page cache than the other.
            for (int i = 0; i < samples; i++) {
                long a = System.nanoTime();
                List<StoredMessage> page = store.messages().newest(chosen[i], 50);
                long b = System.nanoTime();
                long before = page.isEmpty() ? Long.MAX_VALUE : page.get(page.size() - 1).id();
                store.messages().page(chosen[i], before, 50);
                long c = System.nanoTime();
                plain.page(chosen[i], Long.MAX_VALUE, 50);
                long d = System.nanoTime();
                plain.page(chosen[i], before, 50);
                long e = System.nanoTime();
                newest[i] = (b - a) / 1e6;
                older[i] = (c - b) / 1e6;
                plainNewest[i] = (d - c) / 1e6;
                plainOlder[i] = (e - d) / 1e6;
            }
            // A search hit opened where it is: the page of 100 around a message anywhere in the
            // history, then the page of 50 after that page.
            long total = store.context().database().read(c -> StoreContext.nextId(c, "messages")) - 1;
            double[] around = new double[samples];
            double[] newer = new double[samples];
            for (int i = 0; i < samples; i++) {
                long id = 1 + (long) (random.nextDouble() * total);
                StoredMessage hit = store.messages().get(id).orElseThrow();
                long a = System.nanoTime();
                List<StoredMessage> page = store.messages().around(hit.conversationId(), id, 100).orElseThrow().messages();
                long b = System.nanoTime();
                store.messages().after(hit.conversationId(), page.get(page.size() - 1).id(), 50);
                long c = System.nanoTime();
                around[i] = (b - a) / 1e6;
                newer[i] = (c - b) / 1e6;
            }
            System.gc();
            return new ReadResult(warmupMillis, unlockMillis, percentile(newest, 50), percentile(newest, 95),
                    percentile(older, 50), percentile(older, 95), percentile(plainNewest, 50), percentile(plainOlder, 50),
                    searchReadyMillis, search.state().origin().name(), percentile(single, 50), percentile(single, 95),
                    percentile(pair, 50), residentBytes(), percentile(around, 50), percentile(around, 95),
                    percentile(newer, 50));
        }
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Resident set size from /proc (Linux); -1 elsewhere. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long sizeOf(Path db) throws IOException {
        long size = Files.size(db);
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path extra = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(extra)) {
                size += Files.size(extra);
            }
        }
        return size;
    }
}
