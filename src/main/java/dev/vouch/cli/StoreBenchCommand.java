package dev.vouch.cli;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.bench.StoreBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vouch bench store}: writes a synthetic history into an encrypted profile and into plain
 * SQLite tables, then reads both back in a fresh JVM and prints every figure beside its baseline.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Benchmark the encrypted store against plain SQLite tables of the same shape.")
public final class StoreBenchCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--messages", defaultValue = "1000000", description = "Messages to write (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--conversations", defaultValue = "1000", description = "Conversations (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--batch", defaultValue = "10000",
            description = "Messages per transaction, as an import writes them (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--samples", defaultValue = "200", description = "Conversations opened in the read phase (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the databases (default: a temporary folder, deleted afterwards).")
    Path work;

    @Option(names = "--keep", description = "Keep the databases after the run.")
    boolean keep;

    @Option(names = "--read-phase", hidden = true, description = "Internal: run only the read phase and print its result.")
    boolean readPhase;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (messages < 1 || conversations < 1 || batch < 1 || samples < 1) {
            throw new UsageException("--messages, --conversations, --batch and --samples must be positive");
        }
        StoreBenchmark benchmark = new StoreBenchmark(line -> {
            out.println(line);
            out.flush();
        });
        if (readPhase) {
            StoreBenchmark.ReadResult result = benchmark.read(requireWork(), samples);
            BenchChild.printResult(out, result);
            return 0;
        }
        Path dir = work != null ? work : Files.createTempDirectory("vouch-bench-");
        try {
            out.printf("Writing %,d messages in %,d conversations to %s (Argon2id %s)%n", messages, conversations, dir,
                    Argon2id.Params.RECOMMENDED);
            StoreBenchmark.WriteResult written = benchmark.write(dir, messages, conversations, batch,
                    Argon2id.Params.RECOMMENDED);
            out.println("Reading back in a fresh JVM...");
            out.flush();
            StoreBenchmark.ReadResult read = readInFreshJvm(dir);
            report(out, written, read);
            return 0;
        } finally {
            if (!keep && work == null) {
                BenchChild.deleteRecursively(dir);
            }
        }
    }

    private Path requireWork() {
        if (work == null) {
            throw new UsageException("--read-phase needs --work DIR");
        }
        return work;
    }

    private StoreBenchmark.ReadResult readInFreshJvm(Path dir) throws IOException, InterruptedException {
        return BenchChild.run(StoreBenchmark.ReadResult.class, "the read phase", "bench", "store", "--read-phase",
                "--work", dir.toString(), "--samples", Integer.toString(samples));
    }

    private static void report(PrintWriter out, StoreBenchmark.WriteResult w, StoreBenchmark.ReadResult r) {
        out.println();
        out.printf("%-44s %14s %14s %8s   %s%n", "figure", "encrypted", "plain SQLite", "ratio", "target");
        row(out, "batched inserts (messages/s)", w.encryptedPerSecond(), w.plainPerSecond(), "%,.0f", ">= 30,000/s");
        row(out, "open conversation, newest 50 (ms, median)", r.newestMedianMillis(), r.plainNewestMedianMillis(),
                "%.2f", "<= 5 ms; <= 2x plain");
        row(out, "page 50 older (ms, median)", r.pageMedianMillis(), r.plainPageMedianMillis(), "%.2f",
                "<= 5 ms; <= 2x plain");
        out.printf("%-44s %14.2f %14s %8s   %s%n", "newest 50 / page 50 (ms, p95)", r.newestP95Millis(),
                String.format("%.2f", r.pageP95Millis()), "", "");
        row(out, "file size (MB, with WAL)", w.encryptedBytes() / 1e6, w.plainBytes() / 1e6, "%.1f", "<= 1.6x plain");
        out.printf("%-44s %14.2f %14s %8s%n", "page 100 around a message (ms, median)", r.aroundMedianMillis(), "", "");
        out.printf("%-44s %14.2f %14s %8s%n", "page 100 around a message (ms, p95)", r.aroundP95Millis(), "", "");
        out.printf("%-44s %14.2f %14s %8s%n", "then page 50 newer (ms, median)", r.newerMedianMillis(), "", "");
        out.printf("%-44s %14.0f %14s %8s   %s%n", "unlock: passphrase to conversation list (ms)", r.unlockMillis(), "", "",
                "<= 1000 ms");
        out.printf("%-44s %14.0f %14s %8s   %s%n", "  before it: open locked + crypto warm-up", r.warmupMillis(),
                "", "", "(runs while the passphrase is typed)");
        out.printf("%-44s %14.2f %14s %8s   %s%n", "search, one word (ms, median)", r.searchMedianMillis(), "", "",
                "<= 100 ms");
        out.printf("%-44s %14.2f %14s %8s%n", "search, one word (ms, p95)", r.searchP95Millis(), "", "");
        out.printf("%-44s %14.2f %14s %8s%n", "search, word + prefix (ms, median)", r.twoTermMedianMillis(), "", "");
        out.printf("%-44s %14.0f %14s %8s   %s%n", "search ready after unlock (ms)", r.searchReadyMillis(), "", "",
                "from the encrypted snapshot (" + r.searchOrigin() + ")");
        out.printf("%-44s %14.1f %14s %8s   %s%n", "search index full build (s)", w.indexBuildSeconds(), "", "",
                "first unlock, or after a refused snapshot");
        out.printf("%-44s %14.0f %14s %8s   %s%n", "resident memory, store open (MB)", r.residentBytes() / 1e6, "", "",
                "<= 300 MB");
        out.printf("%-44s %14.1f %14s %8s%n", "message text written (MB)", w.plaintextBytes() / 1e6, "", "");
        out.flush();
    }

    private static void row(PrintWriter out, String name, double encrypted, double plain, String format, String target) {
        out.printf("%-44s %14s %14s %7.2fx   %s%n", name, String.format(format, encrypted), String.format(format, plain),
                encrypted / plain, target);
    }

}
