package dev.vouch.relay.bench;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.relay.server.RelayStorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay under load: its invite, and the CPU time it has used where that can be measured. */
public interface BenchRelay extends AutoCloseable {
    Invite invite();

    /** CPU time the relay has used so far, in nanoseconds; -1 when it cannot be told apart from the clients'. */
    long cpuNanos();

    /** Where the relay runs, for the report. */
    String description();

    /** Whether the relay runs in this JVM, so that this JVM's CPU time is the relay's and the clients'. */
    default boolean inThisJvm() {
        return false;
    }

    @Override
    void close();

    /**
     * A relay in this JVM on 127.0.0.1, port chosen by the system, with {@code registrationsPerMinute}
     * and otherwise the production limits. Its CPU time is mixed with the clients'.
     */
    static BenchRelay inProcess(Path data, int registrationsPerMinute)
            throws IOException, GeneralSecurityException, RelayStorageException {
        Clock clock = Clock.systemUTC();
        RelayServer server = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock,
                Limits.DEFAULT.withRegistrationsPerMinute(registrationsPerMinute), RelayEvents.NONE));
        Invite invite = server.invite("127.0.0.1", clock.instant().plus(Duration.ofDays(1)));
        return new BenchRelay() {
            @Override
            public Invite invite() {
                return invite;
            }

            @Override
            public long cpuNanos() {
                return -1;
            }

            @Override
            public String description() {
                return "in this JVM (relay and clients share its CPU figure)";
            }

            @Override
            public boolean inThisJvm() {
                return true;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** A relay someone else started on this machine; its CPU time is not measured. */
    static BenchRelay external(Invite invite) {
        return new BenchRelay() {
            @Override
            public Invite invite() {
                return invite;
            }

            @Override
            public long cpuNanos() {
                return -1;
            }

            @Override
            public String description() {
                return "running already, at " + invite.host() + ":" + invite.port();
            }

            @Override
            public void close() {
                // not ours to stop
            }
        };
    }

    /**
     * Starts {@code command}, a {@code vouch relay} in a child process, and waits for the invite it
     * prints. Its output is read until it exits, so it never blocks on a full pipe.
     */
    static BenchRelay spawn(List<String> command, Duration startTimeout) throws IOException, InterruptedException {
        return Spawned.start(command, startTimeout);
    }

    /** A relay in a child process, the way an operator runs one. */
    final class Spawned implements BenchRelay {
        private static final Pattern INVITE = Pattern.compile(" event=invite link=\"([^\"]+)\"");
        private static final int TRANSCRIPT_LINES = 40;

        private final Process process;
        private final Invite invite;
        private final Deque<String> transcript;
        private final Thread stopOnExit;

        private Spawned(Process process, Invite invite, Deque<String> transcript) {
            this.process = process;
            this.invite = invite;
            this.transcript = transcript;
            // Ctrl-C on the benchmark must not leave its relay running.
            this.stopOnExit = new Thread(() -> stop(process), "bench-relay-stop");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }

        static Spawned start(List<String> command, Duration startTimeout) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Deque<String> transcript = new ArrayDeque<>();
            CompletableFuture<String> link = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (transcript) {
                            transcript.addLast(line);
                            if (transcript.size() > TRANSCRIPT_LINES) {
                                transcript.removeFirst();
                            }
                        }
                        Matcher m = INVITE.matcher(line);
                        if (m.find()) {
                            link.complete(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    // the relay's output closed
                }
                link.completeExceptionally(new IOException("the relay exited before printing its invite"));
            }, "bench-relay-output");
            reader.setDaemon(true);
            reader.start();
            try {
                String text = link.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Spawned(process, Invite.parse(text, Instant.now()), transcript);
            } catch (ExecutionException | TimeoutException | dev.vouch.relay.api.InvalidInviteException e) {
                stop(process);
                String why = e instanceof TimeoutException ? "printed no invite within " + startTimeout.toSeconds() + " s"
                        : String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                throw new IOException("the relay did not start: " + why + "; its output:\n" + text(transcript));
            } catch (InterruptedException e) {
                stop(process);
                throw e;
            }
        }

        private static String text(Deque<String> transcript) {
            synchronized (transcript) {
                return String.join("\n", transcript);
            }
        }

        @Override
        public Invite invite() {
            return invite;
        }

        @Override
        public long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        }

        @Override
        public String description() {
            return "a child JVM (vouch relay), pid " + process.pid();
        }

        /** The relay's last lines of output, for a report of what went wrong. */
        public String transcript() {
            return text(transcript);
        }

        @Override
        public void close() {
            stop(process);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping it
            }
        }

        /** SIGTERM (the relay closes its connections and database), then SIGKILL if it is still there after 15 s. */
        private static void stop(Process process) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
