package dev.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs one phase of a benchmark in a fresh JVM started as the app is (so caches, JIT and heap are
 * those a user gets) and reads back its result, which the child prints as one JSON line.
 */
public final class BenchChild {
    /**
     * The JVM options the packaged app runs with, so resident memory is measured as a user gets it:
     * the serial collector and a bounded heap keep a desktop client's footprint small.
     */
    public static final List<String> APP_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx160m");
    private static final String RESULT_PREFIX = "RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchChild() {
    }

    /** Runs {@code vouch ARGS} in a fresh JVM and returns the result it printed. */
    static <T> T run(Class<T> type, String what, String... args) throws IOException, InterruptedException {
        return run(type, what, APP_JVM_OPTIONS, "dev.vouch.app.Main", args);
    }

    /**
     * Runs {@code mainClass ARGS} on this JVM's class path in a fresh JVM with {@code jvmOptions}
     * and returns the result it printed with {@link #printResult}.
     */
    public static <T> T run(Class<T> type, String what, List<String> jvmOptions, String mainClass, String... args)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder transcript = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                transcript.append(line).append('\n');
                if (line.startsWith(RESULT_PREFIX)) {
                    result = line.substring(RESULT_PREFIX.length());
                }
            }
        }
        int code = process.waitFor();
        if (code != 0 || result == null) {
            throw new IllegalStateException(what + " failed (exit " + code + "):\n" + transcript);
        }
        return JSON.readValue(result, type);
    }

    /** What a child phase prints for {@link #run} to read. */
    public static void printResult(PrintWriter out, Object result) throws IOException {
        out.println(RESULT_PREFIX + JSON.writeValueAsString(result));
        out.flush();
    }

    /** Deletes a folder and everything in it (the benchmarks' scratch folders, the demo's folder); nothing if it is gone. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
