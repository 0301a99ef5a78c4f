package dev.vouch.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test program run in its own JVM (same java binary, same class path), talking in lines over
 * its stdin and stdout; stderr goes to a file so a failure can show it. Used where a test needs a
 * real process: to kill it with SIGKILL, or to give it its own temp folder.
 */
public final class ChildJvm implements AutoCloseable {
    /** What {@link #next} returns when the child closed its stdout (it exited or was killed). */
    public static final String EOF = "\0EOF";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final OutputStream stdin;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::pump, "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args}.
     *
     * @param jvmOptions extra JVM options (system properties, GC flags)
     * @param environment variables added to (or, with a null value, removed from) the inherited environment
     */
    public static ChildJvm start(Class<?> mainClass, List<String> args, List<String> jvmOptions,
                                 Map<String, String> environment, Path stderr) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // Small, quick-starting JVM: these children live for a fraction of a second to a few seconds.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Xmx256m");
        command.add("-XX:-UsePerfData");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
        environment.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        return new ChildJvm(builder.start(), stderr);
    }

    /** The java launcher of this JVM. */
    public static String javaBinary() {
        Optional<String> command = ProcessHandle.current().info().command();
        return command.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the pipe broke: the child is gone
        } finally {
            lines.add(EOF);
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The next line, {@link #EOF} once stdout is closed, or empty when none came within {@code timeout}. */
    public Optional<String> poll(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (EOF.equals(line)) {
            lines.add(EOF); // stays at the end for later calls
        }
        return Optional.ofNullable(line);
    }

    /** The next line or {@link #EOF}; fails the test (showing stderr) when none comes within {@code timeout}. */
    public String next(Duration timeout) throws InterruptedException {
        return poll(timeout).orElseThrow(() -> new AssertionError("child " + pid() + " said nothing for "
                + timeout.toSeconds() + " s" + stderrText()));
    }

    /** The next line, which must be {@code expected}. */
    public void expect(String expected, Duration timeout) throws InterruptedException {
        String line = next(timeout);
        if (!expected.equals(line)) {
            throw new AssertionError("child " + pid() + " said \"" + line + "\" where \"" + expected + "\" was expected"
                    + stderrText());
        }
    }

    /** Sends one line; returns false when the child no longer reads (it died). */
    public boolean send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes the child's stdin, so it reads end of input. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    /** SIGTERM: the child's shutdown hooks run. Waits until it is gone and returns its exit code. */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + pid() + " survived SIGTERM for 30 s");
        }
        return process.exitValue();
    }

    /**
     * SIGKILL (on Linux and macOS); waits until the process is gone. Lines it printed before dying
     * can still be read. (Not {@link Process#destroyForcibly}: that also closes our end of the
     * child's stdout, throwing away what is still in the pipe.)
     */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + pid() + " survived SIGKILL for 30 s");
        }
    }

    /** Waits for a normal exit and returns the exit code. */
    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child " + pid() + " did not exit within " + timeout.toSeconds() + " s" + stderrText());
        }
        return process.exitValue();
    }

    /** The lines the child printed that nobody has read yet, up to and excluding {@link #EOF}; waits for EOF. */
    public List<String> drain(Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (true) {
            String line = next(timeout);
            if (EOF.equals(line)) {
                return out;
            }
            out.add(line);
        }
    }

    /** The child's stderr so far, for failure messages. */
    public String stderrText() {
        try {
            String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
            return text.isBlank() ? "" : "\n--- child stderr ---\n" + text.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the child if it still runs (without waiting for it to be gone). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone
        }
    }
}
