package dev.vouch.store.search;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A rough local measurement of search at the size the product targets (not a unit test, not a
 * JMH benchmark: one run, wall-clock numbers). Synthetic history: a 50,000-word vocabulary with a
 * Zipf-like frequency, 8 to 15 words per message, an emoji in one message of twenty, 1,000
 * conversations.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx160m -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.vouch.store.search.SearchBench index 1000000
 * java -Xmx160m -cp ... dev.vouch.store.search.SearchBench store 1000000 /tmp/vouch-bench
 * </pre>
 *
 * {@code index} measures the pure {@link SearchIndex}: build, heap, snapshot size and parse time,
 * query latency. {@code store} creates (once) a real profile store with that many messages and
 * measures what a user sees: unlock time with search attached, time until search is ready from
 * scratch and from the sealed snapshot, snapshot size, the process's resident memory, and query
 * latency through {@link SearchService}. Each {@code store} run also adds 5,000 messages (to
 * measure a catch-up), and it deletes the snapshot before its first session. Numbers from these
 * runs are in docs/search.md.
 */
public final class SearchBench {
    private static final int VOCABULARY = 50_000;
    private static final int CONVERSATIONS = 1_000;
    private static final String[] EMOJI = {"🎉", "👍", "😂", "❤️", "🙏", "😊"};
    private static final char[] PASSPHRASE = "bench passphrase".toCharArray();

    private final Random random = new Random(20261127);
    private final String[] words = vocabulary(new Random(7));
    private final double[] cdf = zipf(VOCABULARY, 1.05);

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "index";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        SearchBench bench = new SearchBench();
        if (mode.equals("store")) {
            bench.store(count, Path.of(args.length > 2 ? args[2] : "target/search-bench"));
        } else {
            bench.index(count);
        }
    }

    // ---- synthetic text ----

    private static String[] vocabulary(Random r) {
        String[] onsets = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
                "br", "ch", "st", "tr", "pl", "gr", "sh", "th"};
        String[] vowels = {"a", "e", "i", "o", "u", "ai", "ou", "ee", "y"};
        Set<String> seen = new HashSet<>();
        String[] out = new String[VOCABULARY];
        int n = 0;
        while (n < VOCABULARY) {
            int syllables = 1 + r.nextInt(4);
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(onsets[r.nextInt(onsets.length)]).append(vowels[r.nextInt(vowels.length)]);
            }
            if (r.nextInt(3) == 0) {
                w.append("nrsltk".charAt(r.nextInt(6)));
            }
            if (seen.add(w.toString())) {
                out[n++] = w.toString();
            }
        }
        return out;
    }

    private static double[] zipf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    private String word() {
        int k = Arrays.binarySearch(cdf, random.nextDouble());
        return words[k < 0 ? Math.min(-k - 1, VOCABULARY - 1) : k];
    }

    private String message() {
        int n = 8 + random.nextInt(8);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(random.nextInt(12) == 0 ? ", " : " ");
            }
            String w = word();
            b.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
        }
        b.append(random.nextInt(20) == 0 ? " " + EMOJI[random.nextInt(EMOJI.length)] : ".");
        return b.toString();
    }

    private int conversation() {
        // a few busy conversations, many quiet ones
        return 1 + (int) Math.min(CONVERSATIONS - 1, Math.abs(random.nextGaussian()) * CONVERSATIONS / 3);
    }

    // ---- pure index ----

    private void index(int count) throws Exception {
        System.out.printf("pure SearchIndex, %,d messages, %,d-word vocabulary%n", count, VOCABULARY);
        gc();
        long heapBefore = heapUsed();
        SearchIndex index = new SearchIndex();
        List<String> sample = new ArrayList<>();
        long[] sampleConv = new long[2000];
        long t0 = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            String text = message();
            int conv = conversation();
            index.add(i, conv, text);
            if (index.bufferedDocuments() >= SearchService.Options.DEFAULTS.buildCompactEvery()) {
                index.compact();
            }
            if (i % (count / 2000) == 0 && sample.size() < 2000) {
                sampleConv[sample.size()] = conv;
                sample.add(text);
            }
        }
        index.compact();
        long buildNanos = System.nanoTime() - t0;
        gc();
        long heap = heapUsed() - heapBefore;
        System.out.printf("build: %.2f s (%.1f µs/message)%n", buildNanos / 1e9, buildNanos / 1e3 / count);
        System.out.printf("terms: %,d; compressed index + document table: %.1f MiB; heap held by the index after GC: %.1f MiB%n",
                index.termCount(), index.compressedBytes() / 1048576.0, heap / 1048576.0);
        Bytes out = new Bytes(1 << 20);
        t0 = System.nanoTime();
        index.writeTo(out);
        long writeNanos = System.nanoTime() - t0;
        System.out.printf("snapshot (plaintext, before sealing): %.1f MiB, written in %d ms%n", out.size() / 1048576.0,
                writeNanos / 1_000_000);
        byte[] bytes = out.toArray();
        SearchIndex loaded = null;
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            t0 = System.nanoTime();
            loaded = SearchIndex.readFrom(bytes, 0, bytes.length);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("snapshot parse + full validation: %d ms (best of 3)%n", best / 1_000_000);
        if (loaded.documentCount() != index.documentCount()) {
            throw new AssertionError("round trip lost documents");
        }
        queries(q -> index.search(q, 100), (q, c) -> index.search(q, c, 100), sample, sampleConv);
        rss();
    }

    // ---- real store ----

    private void store(int count, Path dir) throws Exception {
        System.out.printf("profile store in %s, %,d messages, %,d conversations%n", dir, count, CONVERSATIONS);
        List<String> sample = new ArrayList<>();
        long[] sampleConv = new long[2000];
        if (!ProfileStore.exists(dir)) {
            long t0 = System.nanoTime();
            try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, Argon2id.Params.RECOMMENDED, Clock.systemUTC())) {
                long[] conv = new long[CONVERSATIONS + 1];
                for (int c = 1; c <= CONVERSATIONS; c++) {
                    conv[c] = store.conversations().open("peer" + c + "@example.org");
                }
                Instant t = Instant.parse("2026-01-01T00:00:00Z");
                List<NewMessage> batch = new ArrayList<>(10_000);
                for (int i = 1; i <= count; i++) {
                    String text = message();
                    MessageBody body = MessageBody.text(Direction.INCOMING, "peer", 1, t, t, text);
                    batch.add(new NewMessage(conv[conversation()], ("bench" + i).getBytes(StandardCharsets.UTF_8),
                            MessageStatus.READ, body));
                    if (batch.size() == 10_000) {
                        store.messages().insertAll(batch);
                        batch.clear();
                    }
                }
                store.messages().insertAll(batch);
            }
            System.out.printf("created the store in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        // sample texts for queries: regenerate from the same random stream is not possible after
        // the fact, so draw fresh synthetic messages; their words follow the same distribution
        for (int i = 0; i < 2000; i++) {
            sample.add(message());
            sampleConv[i] = conversation();
        }
        System.out.printf("database file: %.0f MiB%n", Files.size(dir.resolve(ProfileStore.DATABASE_FILE)) / 1048576.0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "search");
            th.setDaemon(true);
            return th;
        });
        try {
            // 0: the store alone, for comparison
            try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
                System.out.println("--- unlock without search attached (baseline)");
                long t0 = System.nanoTime();
                store.unlock(PASSPHRASE);
                long unlocked = System.nanoTime();
                int conversations = store.conversations().list().size();
                System.out.printf("unlock (Argon2id RECOMMENDED): %d ms; list %d conversations: %d ms%n",
                        (unlocked - t0) / 1_000_000, conversations, (System.nanoTime() - unlocked) / 1_000_000);
                store.messages().newest(store.conversations().list().get(0).id(), 50);
                gc();
                System.out.printf("heap used after GC (store open, no search): %.1f MiB%n", heapUsed() / 1048576.0);
                rss();
            }
            // 1: no snapshot (deleted first): full build from the messages
            session(dir, executor, true, sample, sampleConv, false);
            // messages arrive while search is not running: the next unlock catches up
            try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
                store.unlock(PASSPHRASE);
                long c = store.conversations().open("peer1@example.org");
                Instant t = Instant.now();
                List<NewMessage> batch = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    batch.add(new NewMessage(c, ("late" + System.nanoTime() + "-" + i).getBytes(StandardCharsets.UTF_8),
                            MessageStatus.READ, MessageBody.text(Direction.INCOMING, "peer", 1, t, t, message())));
                }
                store.messages().insertAll(batch);
            }
            // 2: from the sealed snapshot, plus a 5,000-message catch-up
            session(dir, executor, false, sample, sampleConv, true);
        } finally {
            executor.shutdownNow();
        }
    }

    private void session(Path dir, ExecutorService executor, boolean fromScratch, List<String> sample, long[] sampleConv,
                         boolean measureQueries) throws Exception {
        System.out.println(fromScratch ? "--- unlock without a snapshot (full build)" : "--- unlock with the snapshot");
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            // time spent in the search service's unlock listener (it must only schedule work)
            long[] listener = new long[2];
            store.addUnlockListener(() -> listener[0] = System.nanoTime());
            SearchService search = SearchService.attach(store, executor);
            store.addUnlockListener(() -> listener[1] = System.nanoTime());
            if (fromScratch) {
                store.unlock(PASSPHRASE);
                search.rebuild(); // deletes the snapshot and builds from every message
                store.lock();
                Thread.sleep(200);
            }
            java.util.Map<SearchService.Phase, Long> reached = new java.util.concurrent.ConcurrentHashMap<>();
            search.addStateListener(st -> reached.putIfAbsent(st.phase(), System.nanoTime()));
            long t0 = System.nanoTime();
            store.unlock(PASSPHRASE);
            long unlocked = System.nanoTime();
            int conversations = store.conversations().list().size();
            long listed = System.nanoTime();
            System.out.printf("unlock (Argon2id RECOMMENDED): %d ms; list %d conversations: %d ms; search state then: %s%n",
                    (unlocked - t0) / 1_000_000, conversations, (listed - unlocked) / 1_000_000, search.state().phase());
            Long loading = reached.get(SearchService.Phase.LOADING);
            System.out.printf("time spent in search's unlock listener: %.3f ms%n", (listener[1] - listener[0]) / 1e6);
            if (!search.awaitReady(Duration.ofMinutes(10))) {
                throw new AssertionError("not ready: " + search.state());
            }
            long ready = System.nanoTime();
            SearchService.State state = search.state();
            System.out.printf("search ready %.2f s after unlock returned (%s, %,d messages indexed on the way)%n",
                    (ready - unlocked) / 1e9, state.origin(), state.done());
            Long building = reached.get(SearchService.Phase.BUILDING);
            Long readyAt = reached.get(SearchService.Phase.READY);
            if (loading != null && building != null && readyAt != null) {
                System.out.printf("  of which loading the snapshot (read, authenticate, parse): %d ms; indexing: %d ms%n",
                        (building - loading) / 1_000_000, (readyAt - building) / 1_000_000);
            }
            long p0 = System.nanoTime();
            search.persistNow();
            System.out.printf("sealing + writing the snapshot: %d ms, %d chunks of 1 MiB%n",
                    (System.nanoTime() - p0) / 1_000_000, search.snapshots().chunkCount());
            SearchIndex index = search.currentIndex();
            System.out.printf("index: %,d documents, %,d terms, %.1f MiB compressed%n", index.documentCount(),
                    index.termCount(), index.compressedBytes() / 1048576.0);
            gc();
            System.out.printf("heap used after GC (store open, index ready): %.1f MiB%n", heapUsed() / 1048576.0);
            rss();
            if (measureQueries) {
                queries(q -> {
                    try {
                        return search.search(q, 100);
                    } catch (StoreException e) {
                        throw new IllegalStateException(e);
                    }
                }, (q, c) -> {
                    try {
                        return search.search(q, c, 100);
                    } catch (StoreException e) {
                        throw new IllegalStateException(e);
                    }
                }, sample, sampleConv);
                rss();
            }
        }
    }

    // ---- queries ----

    private interface ConversationQuery {
        SearchResult run(String query, long conversation);
    }

    private void queries(Function<String, SearchResult> all, ConversationQuery inConversation, List<String> sample,
                         long[] sampleConv) {
        int n = 1000;
        String[] oneExact = new String[n];
        String[] onePrefix = new String[n];
        String[] twoTyping = new String[n];
        String[] rare = new String[n];
        for (int i = 0; i < n; i++) {
            oneExact[i] = word() + " ";
            String w = word();
            onePrefix[i] = w.substring(0, Math.min(3, w.length()));
            List<String> tokens = Tokenizer.indexTokens(sample.get(i));
            String a = tokens.get(random.nextInt(tokens.size()));
            String b = tokens.get(random.nextInt(tokens.size()));
            twoTyping[i] = a + " " + b.substring(0, Math.max(1, Math.min(b.length(), 2 + random.nextInt(3))));
            rare[i] = words[VOCABULARY / 2 + random.nextInt(VOCABULARY / 2)] + " ";
        }
        // warm up the JIT
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < n; i++) {
                all.apply(oneExact[i]);
                all.apply(twoTyping[i]);
            }
        }
        report("1 term, exact (Zipf-drawn word)", all, oneExact);
        report("1 term, rare word", all, rare);
        report("1 term, 3-letter prefix (typing)", all, onePrefix);
        report("2 terms, second typed as a prefix", all, twoTyping);
        long[] totals = new long[n];
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            totals[i] = inConversation.run(twoTyping[i], sampleConv[i]).total();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        print("2 terms in one conversation", ms, totals);
    }

    private static void report(String name, Function<String, SearchResult> run, String[] queries) {
        double[] ms = new double[queries.length];
        long[] totals = new long[queries.length];
        for (int i = 0; i < queries.length; i++) {
            long t0 = System.nanoTime();
            totals[i] = run.apply(queries[i]).total();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        print(name, ms, totals);
    }

    private static void print(String name, double[] ms, long[] totals) {
        Arrays.sort(ms);
        Arrays.sort(totals);
        System.out.printf("query %-38s median %7.3f ms  p95 %7.3f ms  max %7.2f ms  (median hits %,d)%n", name,
                ms[ms.length / 2], ms[(int) (ms.length * 0.95)], ms[ms.length - 1], totals[totals.length / 2]);
    }

    // ---- memory ----

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                System.out.println("process " + line.replaceAll("\\s+", " "));
            }
        }
    }
}
