package dev.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.message.Padding;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.sealed.SealedEnvelope;
import dev.vouch.relay.api.InvalidInviteException;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.bench.BenchRelay;
import dev.vouch.relay.bench.PhaseResult;
import dev.vouch.relay.bench.RelayLoadBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vouch bench relay}: a relay on this machine under the load of many clients over real TLS
 * 1.3 WebSockets. A warm-up, a steady phase at a fixed rate, and with {@code --find-max} a search
 * for the highest rate the relay sustains. Exits 1 when an envelope of the warm-up or the steady
 * phase was lost, duplicated, delivered to the wrong device or refused.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Load-test a relay on this machine: many clients on loopback, a steady rate, and optionally",
            "the highest rate it sustains. Starts its own relay in a child JVM unless told otherwise."})
public final class RelayBenchCommand implements Callable<Integer> {
    /**
     * A sealed envelope of a short message: the sealed-sender layers around a ratchet message whose
     * plaintext is padded to the smallest bucket.
     */
    static final int SHORT_MESSAGE_ENVELOPE = SealedEnvelope.OVERHEAD + RatchetMessage.HEADER_LENGTH + Padding.MIN_BUCKET
            + AesGcm.TAG_LENGTH;
    /** The class the spawned relay runs, by name: the command line does not reach up to the app. */
    static final String MAIN_CLASS = "dev.vouch.app.Main";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--clients", defaultValue = "1000",
            description = "Devices, each with a mailbox and a sending connection (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "2000", description = "Envelopes per second in the steady phase (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "Length of the steady phase (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Warm-up at the same rate before it, reported apart (default: ${DEFAULT-VALUE}; 0s for none).")
    Duration warmup;

    @Option(names = "--find-max", description = "Then step the rate up until the relay no longer sustains it.")
    boolean findMax;

    @Option(names = "--step-duration", defaultValue = "12s", converter = DurationConverter.class,
            description = "How long each --find-max step lasts (default: ${DEFAULT-VALUE}).")
    Duration stepDuration;

    @Option(names = "--max-steps", defaultValue = "10", description = "At most this many --find-max steps (default: ${DEFAULT-VALUE}).")
    int maxSteps;

    @Option(names = "--max-rate", defaultValue = "50000", description = "--find-max never goes above this rate (default: ${DEFAULT-VALUE}).")
    int maxRate;

    @Option(names = "--target-p99", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Delivery latency the 99th percentile must stay within (default: ${DEFAULT-VALUE}).")
    Duration targetP99;

    @Option(names = "--envelope-bytes", paramLabel = "N",
            description = "Length of every envelope (default: a sealed short message, " + SHORT_MESSAGE_ENVELOPE + ").")
    Integer envelopeBytes;

    @Option(names = "--drain", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long after a phase's last send deliveries may still come; later is lost (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = "--relay", paramLabel = "MODE", defaultValue = "spawn",
            description = {"spawn: a 'vouch relay' in a child JVM, as an operator runs it (default);",
                "in-process: a relay in this JVM (its CPU cannot be told from the clients')."})
    String relayMode;

    @Option(names = "--invite", paramLabel = "LINK",
            description = {"Load a relay that is already running on this machine instead (loopback only).",
                "Start it with --registrations-per-minute at least --clients."})
    String invite;

    @Option(names = "--json", description = "Print the results as one JSON object (progress goes to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
        java.util.function.Consumer<String> progress = line -> {
            progressOut.println(line);
            progressOut.flush();
        };
        int bytes = envelopeBytes != null ? envelopeBytes : SHORT_MESSAGE_ENVELOPE;
        Path data = null;
        BenchRelay relay;
        if (invite != null) {
            relay = BenchRelay.external(loopbackInvite(invite));
        } else {
            data = Files.createTempDirectory("vouch-relay-bench-");
            relay = startRelay(data.resolve("relay"), progress);
        }
        List<PhaseResult> phases = new ArrayList<>();
        RelayLoadBenchmark.MaxSearch search = null;
        long ackFailures;
        try (relay) {
            RelayLoadBenchmark.Settings settings = new RelayLoadBenchmark.Settings(clients, bytes, drain,
                    Duration.ofSeconds(15));
            try (RelayLoadBenchmark bench = new RelayLoadBenchmark(relay, settings, progress)) {
                progress.accept(String.format(Locale.ROOT, "Relay: %s. Connecting %,d clients (%,d WebSockets)...",
                        relay.description(), clients, 2 * clients));
                Duration took = bench.connect(Duration.ofSeconds(60 + clients / 10));
                progress.accept(String.format(Locale.ROOT, "Connected and registered in %.1f s.", took.toMillis() / 1e3));
                if (!warmup.isZero()) {
                    phases.add(announce(progress, bench.run("warm-up", rate, warmup, false)));
                }
                bench.settle(Duration.ofSeconds(10));
                PhaseResult steady = announce(progress, bench.run("steady", rate, duration, false));
                phases.add(steady);
                if (findMax) {
                    search = bench.findMax(rate, steady.sustained(targetMillis()), stepDuration, maxRate, maxSteps,
                            targetMillis(), r -> announce(progress, r));
                    phases.addAll(search.steps());
                }
                ackFailures = bench.ackFailures();
            }
        } finally {
            if (data != null) {
                BenchChild.deleteRecursively(data);
            }
        }
        PhaseResult steady = phases.stream().filter(p -> p.name().equals("steady")).findFirst().orElseThrow();
        if (json) {
            printJson(out, relay.description(), bytes, phases, steady, search, ackFailures);
        } else {
            printTable(out, relay.description(), bytes, phases, steady, search, ackFailures);
        }
        boolean intact = phases.stream().filter(p -> !p.name().startsWith("step")).allMatch(PhaseResult::intact);
        return intact ? 0 : 1;
    }

    private void validate() {
        if (clients < 2 || clients > 20_000) {
            throw new UsageException("--clients must be 2..20000");
        }
        if (rate < 1 || maxRate < 1 || maxSteps < 0) {
            throw new UsageException("--rate and --max-rate must be positive, --max-steps not negative");
        }
        if (duration.isNegative() || duration.isZero() || warmup.isNegative() || stepDuration.isNegative()
                || stepDuration.isZero() || drain.isNegative() || targetP99.isNegative() || targetP99.isZero()) {
            throw new UsageException("--duration, --step-duration and --target-p99 must be positive, --warmup and --drain not negative");
        }
        if (duration.compareTo(Duration.ofHours(1)) > 0 || warmup.compareTo(Duration.ofHours(1)) > 0
                || stepDuration.compareTo(Duration.ofMinutes(10)) > 0 || drain.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new UsageException("phases last at most an hour, steps 10 minutes, the drain 5 minutes");
        }
        if (envelopeBytes != null && (envelopeBytes < RelayLoadBenchmark.HEADER || envelopeBytes > 1 << 20)) {
            throw new UsageException("--envelope-bytes must be " + RelayLoadBenchmark.HEADER + "..1048576");
        }
        if (!relayMode.equals("spawn") && !relayMode.equals("in-process")) {
            throw new UsageException("--relay is spawn or in-process");
        }
    }

    private double targetMillis() {
        return targetP99.toNanos() / 1e6;
    }

    /** The benchmark only ever loads a relay on this machine. */
    private static Invite loopbackInvite(String link) {
        Invite parsed;
        try {
            parsed = Invite.parse(link, Instant.now());
        } catch (InvalidInviteException e) {
            throw new UsageException("--invite: " + e.getMessage());
        }
        if (!isLoopback(parsed.host())) {
            throw new UsageException("--invite must name a relay on this machine (localhost or a loopback address), not "
                    + parsed.host());
        }
        return parsed;
    }

    /** Loopback by name or address literal; a name other than localhost is refused without asking DNS. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private BenchRelay startRelay(Path data, java.util.function.Consumer<String> progress) throws Exception {
        int registrations = clients + 10;
        if (relayMode.equals("in-process")) {
            return BenchRelay.inProcess(data, registrations);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                MAIN_CLASS, "relay", "--port", "0", "--data", data.toString(), "--invite-days", "1",
                "--registrations-per-minute", Integer.toString(registrations));
        progress.accept("Starting the relay in a child JVM...");
        return BenchRelay.spawn(command, Duration.ofSeconds(60));
    }

    private static PhaseResult announce(java.util.function.Consumer<String> progress, PhaseResult r) {
        progress.accept(String.format(Locale.ROOT,
                "  %-8s %,7d/s: delivered %,d of %,d sent, p50 %.1f ms, p99 %.1f ms, max %.1f ms, lost %d, duplicated %d%s",
                r.name(), r.targetRate(), r.delivered(), r.sent(), r.p50(), r.p99(), r.max(), r.lost(), r.duplicates(),
                r.aborted() != null ? " (stopped: " + r.aborted() + ")" : ""));
        return r;
    }

    private void printTable(PrintWriter out, String relay, int bytes, List<PhaseResult> phases, PhaseResult steady,
                            RelayLoadBenchmark.MaxSearch search, long ackFailures) {
        out.println();
        out.printf(Locale.ROOT, "Relay load: %,d clients (%,d TLS 1.3 WebSockets on loopback), %d-byte envelopes, %d cores; relay %s%n",
                clients, 2 * clients, bytes, Runtime.getRuntime().availableProcessors(), relay);
        out.printf(Locale.ROOT, "%-8s %8s %8s %8s %9s %9s %5s %4s %6s %8s %8s %8s %8s %8s %6s %6s %6s%n",
                "phase", "target/s", "sent/s", "deliv/s", "sent", "delivered", "lost", "dup", "failed",
                "p50 ms", "p90 ms", "p99 ms", "max ms", "ok p99", "relay", "bench", "others");
        for (PhaseResult r : phases) {
            out.printf(Locale.ROOT, "%-8s %,8d %,8.0f %,8.0f %,9d %,9d %5d %4d %6d %8.1f %8.1f %8.1f %8.1f %8.1f %6s %6.2f %6s%s%n",
                    r.name(), r.targetRate(), r.offeredRate(), r.deliveredRate(), r.sent(), r.delivered(), r.lost(),
                    r.duplicates(), r.failed(), r.p50(), r.p90(), r.p99(), r.max(), r.acceptP99(), cores(r.relayCpu()),
                    r.benchCpu(), cores(r.otherCpu()), verdict(r));
        }
        out.println("(latency: from the scheduled send to the deliver frame at the recipient; 'ok p99': to the relay's"
                + " ok to the sender;");
        out.println(" relay, bench, others: CPU cores used while sending by the relay, by this JVM's clients, by the rest"
                + " of the machine)");
        out.printf(Locale.ROOT, "Steady %,d/s for %d s: p50 %.1f ms, p99 %.1f ms (target <= %.0f ms): %s; %d lost, %d duplicated,"
                        + " %d misdelivered, %d failed sends, %d reconnects.%n",
                steady.targetRate(), Math.round(steady.seconds()), steady.p50(), steady.p99(), targetMillis(),
                steady.sustained(targetMillis()) ? "met" : "NOT met", steady.lost(), steady.duplicates(),
                steady.misdelivered(), steady.failed(), steady.reconnects());
        if (search != null) {
            out.printf(Locale.ROOT, "Maximum sustained rate: %s (p99 <= %.0f ms, nothing lost or duplicated, relay kept up)%n",
                    search.maxSustainedRate() > 0 ? String.format(Locale.ROOT, "%,d envelopes/s", search.maxSustainedRate())
                            : "none of the rates tried", targetMillis());
        }
        if (ackFailures > 0) {
            out.printf(Locale.ROOT, "Acknowledgements that failed: %d%n", ackFailures);
        }
        phases.stream().filter(p -> p.firstError() != null).forEach(p ->
                out.printf(Locale.ROOT, "First error in %s: %s%n", p.name(), p.firstError()));
        out.flush();
    }

    private static String cores(double cores) {
        return cores < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", cores);
    }

    private String verdict(PhaseResult r) {
        if (!r.name().startsWith("step")) {
            return r.intact() ? "" : "  LOST/DUPLICATED/FAILED";
        }
        if (r.sustained(targetMillis())) {
            return "  sustained";
        }
        return "  not sustained" + (r.aborted() != null ? " (" + r.aborted() + ")" : "");
    }

    private void printJson(PrintWriter out, String relay, int bytes, List<PhaseResult> phases, PhaseResult steady,
                           RelayLoadBenchmark.MaxSearch search, long ackFailures) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("clients", clients);
        root.put("connections", 2 * clients);
        root.put("envelopeBytes", bytes);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("relay", relay);
        root.put("targetP99Millis", targetMillis());
        ArrayNode list = root.putArray("phases");
        for (PhaseResult r : phases) {
            ObjectNode node = mapper.valueToTree(r);
            node.put("offeredRate", r.offeredRate());
            node.put("deliveredRate", r.deliveredRate());
            node.put("sustained", r.sustained(targetMillis()));
            list.add(node);
        }
        root.put("steadyTargetMet", steady.sustained(targetMillis()));
        root.put("steadyIntact", steady.intact());
        if (search != null) {
            root.put("maxSustainedRate", search.maxSustainedRate());
        } else {
            root.putNull("maxSustainedRate");
        }
        root.put("ackFailures", ackFailures);
        out.println(mapper.writeValueAsString(root));
        out.flush();
    }

}
