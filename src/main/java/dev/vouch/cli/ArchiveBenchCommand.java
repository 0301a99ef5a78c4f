package dev.vouch.cli;

import dev.vouch.archive.bench.ArchiveBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vouch bench archive}: fills a profile with a synthetic history, then exports it and
 * imports the archive into a new profile, each in a fresh JVM started as the app is, and prints
 * the time and the heap each one adds beside its target.
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Benchmark export and import of the encrypted archive on a large profile.")
public final class ArchiveBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--messages", defaultValue = "1000000", description = "Messages in the profile (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--conversations", defaultValue = "1000", description = "Conversations (default: ${DEFAULT-VALUE}).")
    int conversations;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the profiles and the archive (default: a temporary folder, deleted afterwards).")
    Path work;

    @Option(names = "--keep", description = "Keep the profiles and the archive after the run.")
    boolean keep;

    @Option(names = "--phase", hidden = true, description = "Internal: run only this phase (export or import) and print its result.")
    String phase;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (messages < 1 || conversations < 1) {
            throw new UsageException("--messages and --conversations must be positive");
        }
        ArchiveBenchmark benchmark = new ArchiveBenchmark(line -> {
            out.println(line);
            out.flush();
        });
        if (phase != null) {
            if (work == null) {
                throw new UsageException("--phase needs --work DIR");
            }
            switch (phase) {
                case "export" -> BenchChild.printResult(out, benchmark.export(work));
                case "import" -> BenchChild.printResult(out, benchmark.importArchive(work));
                default -> throw new UsageException("--phase is export or import");
            }
            return ExitCode.OK;
        }
        Path dir = work != null ? work : Files.createTempDirectory("vouch-archive-bench-");
        try {
            out.printf("Writing %,d messages in %,d conversations to %s%n", messages, conversations, dir);
            out.flush();
            benchmark.prepare(dir, messages, conversations);
            out.println("Exporting, then importing into a new profile, each in a fresh JVM (" 
                    + String.join(" ", BenchChild.APP_JVM_OPTIONS) + ")...");
            out.flush();
            ArchiveBenchmark.Phase exported = BenchChild.run(ArchiveBenchmark.Phase.class, "the export",
                    "bench", "archive", "--phase", "export", "--work", dir.toString());
            BenchChild.deleteRecursively(dir.resolve(ArchiveBenchmark.TARGET));
            ArchiveBenchmark.Phase imported = BenchChild.run(ArchiveBenchmark.Phase.class, "the import",
                    "bench", "archive", "--phase", "import", "--work", dir.toString());
            out.println();
            out.printf("%-8s %10s %12s %16s %12s %14s   %s%n", "phase", "seconds", "extra heap", "with Argon2id",
                    "messages", "archive", "target");
            row(out, exported, "<= 15 s, <= 64 MB extra heap");
            row(out, imported, "<= 30 s, <= 64 MB extra heap");
            ArchiveBenchmark.Throughput speed = benchmark.streamThroughput(256);
            out.println();
            out.printf("stream encryption %,.0f MiB/s, raw AES-256-GCM over the same chunks %,.0f MiB/s: %.2f"
                    + " (target >= 0.50)%n", speed.streamMibPerSecond(), speed.rawMibPerSecond(), speed.ratio());
            return ExitCode.OK;
        } finally {
            if (!keep && work == null) {
                BenchChild.deleteRecursively(dir);
            }
        }
    }

    private static void row(PrintWriter out, ArchiveBenchmark.Phase p, String target) {
        out.printf("%-8s %10.1f %9.1f MB %13.1f MB %,12d %11.1f MB   %s%n", p.name(), p.seconds(), p.extraHeapMb(),
                p.extraHeapWithKdfMb(), p.messages(), p.bytes() / 1e6, target);
    }
}
