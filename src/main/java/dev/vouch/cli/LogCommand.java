package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.service.TransparencyAlert;
import dev.vouch.service.TransparencyStatus;
import dev.vouch.transparency.log.TreeHead;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The key transparency log as this client sees it. */
@Command(name = "log", mixinStandardHelpOptions = true, subcommands = LogCommand.Status.class,
        description = "The relay's key transparency log as this client has verified it.")
public final class LogCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vouch log status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Check the log now (consistency with the last head, new entries for your handle) and show",
                "the newest verified head, when it was checked, and every alert with what it means."})
    public static final class Status implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--offline", description = "Do not ask the relay; show what was verified last.")
        boolean offline;

        @Option(names = "--json", description = "One JSON document for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            VouchCommand root = (VouchCommand) spec.root().userObject();
            var err = spec.commandLine().getErr();
            try (ProfileSession session = ProfileSession.open(root, false, CliListener.quiet())) {
                if (!offline) {
                    session.connectOrSay(err, "showing what was verified last");
                }
                TransparencyStatus status = session.messenger.transparency();
                print(status);
                return status.alerts().isEmpty() ? ExitCode.OK : ExitCode.TRANSPARENCY;
            }
        }

        private void print(TransparencyStatus status) {
            var out = spec.commandLine().getOut();
            if (json) {
                ObjectNode node = Output.object().put("enabled", status.enabled())
                        .put("monitoredUpTo", status.monitoredUpTo());
                status.newestHead().ifPresent(h -> node.set("head", Output.object().put("size", h.size())
                        .put("time", Output.time(Instant.ofEpochMilli(h.timestamp())))
                        .put("root", HexFormat.of().formatHex(h.root()))));
                status.checkedAt().ifPresent(t -> node.put("checkedAt", Output.time(t)));
                ArrayNode alerts = node.putArray("alerts");
                for (TransparencyAlert a : status.alerts()) {
                    alerts.add(Output.object().put("at", Output.time(a.at())).put("kind", kind(a))
                            .put("subject", a.subject()).put("explanation", a.explanation()).put("detail", a.detail()));
                }
                Output.json(out, node);
                return;
            }
            if (!status.enabled()) {
                out.println("this relay's invite pins no log key: its keys cannot be checked against a log");
                return;
            }
            if (status.newestHead().isEmpty()) {
                out.println("head:      none verified yet");
            } else {
                TreeHead h = status.newestHead().get();
                out.println("head:      " + h.size() + " entries, signed " + Output.time(Instant.ofEpochMilli(h.timestamp()))
                        + ", root " + HexFormat.of().formatHex(h.root(), 0, 8) + "...");
            }
            out.println("checked:   " + status.checkedAt().map(Output::time).orElse("never")
                    + " (consistency with every earlier head)");
            out.println("watched:   " + status.monitoredUpTo() + " entries read for your own handle");
            if (status.alerts().isEmpty()) {
                out.println("alerts:    none");
            }
            for (TransparencyAlert a : status.alerts()) {
                out.println("ALERT " + Output.time(a.at()) + " " + kind(a) + (a.subject().isEmpty() ? "" : " (" + a.subject() + ")"));
                out.println("  " + a.explanation() + ".");
                out.println("  " + Output.printable(a.detail()));
            }
        }

        private static String kind(TransparencyAlert a) {
            return a.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
