package dev.vouch.e2e;

import dev.vouch.app.Main;
import dev.vouch.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code vouch relay} in its own JVM on loopback, restartable on the same port and data folder. */
final class RelayProcess implements AutoCloseable {
    private static final Pattern INVITE = Pattern.compile("link=\"(vouch://[^\"]+)\"");

    private final Path data;
    private final int port;
    private List<String> extraArgs;
    private ChildJvm process;
    private String invite;

    RelayProcess(Path data) throws IOException {
        this(data, List.of());
    }

    /** @param extraArgs more {@code vouch relay} options, e.g. {@code --misbehave split-view} */
    RelayProcess(Path data, List<String> extraArgs) throws IOException {
        this.data = data;
        this.extraArgs = List.copyOf(extraArgs);
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
    }

    /** Starts (or restarts) the relay and waits for its invite line. */
    RelayProcess start() throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("relay", "--port", Integer.toString(port), "--data",
                data.toString()));
        args.addAll(extraArgs);
        process = ChildJvm.start(Main.class, args, List.of(), Map.of(), data.resolveSibling(data.getFileName() + "-stderr-" + System.nanoTime() + ".txt"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String line = process.next(Duration.ofSeconds(60));
            if (ChildJvm.EOF.equals(line)) {
                throw new IllegalStateException("the relay exited: " + process.stderrText());
            }
            Matcher m = INVITE.matcher(line);
            if (m.find()) {
                invite = m.group(1);
                return this;
            }
        }
        throw new IllegalStateException("the relay printed no invite");
    }

    /** Stops the relay and starts it again on the same port and data with other options. */
    RelayProcess restartWith(List<String> args) throws IOException, InterruptedException {
        kill();
        extraArgs = List.copyOf(args);
        return start();
    }

    String invite() {
        return invite;
    }

    Path data() {
        return data;
    }

    /** SIGKILL, as a crash or a pulled plug would. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.kill();
            process.close();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
