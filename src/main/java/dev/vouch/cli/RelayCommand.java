package dev.vouch.cli;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.Misbehavior;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vouch relay}: runs the relay headless until SIGTERM or SIGINT, printing one
 * {@code key=value} line per event. Prints the SPKI pin, the transparency log's key and an invite
 * link carrying both, and writes the invite as a QR code image next to the relay's data.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Run a Vouch relay (TLS 1.3, self-signed key pinned by clients) until stopped.",
            "Prints its pin and an invite link, and writes the invite as a QR code to DIR/" + RelayCommand.INVITE_PNG + "."})
public final class RelayCommand implements Callable<Integer> {
    static final String INVITE_PNG = "invite.png";

    @ParentCommand
    VouchCommand root;

    @Option(names = "--config", paramLabel = "FILE",
            description = {"Settings as 'name = value' lines (names as the options here: port, data, bind, host,",
                "invite-days, registrations-per-minute, log-format). Also $" + RelaySettings.CONFIG_ENVIRONMENT + ".",
                "Each setting is taken from the command line, else $VOUCH_RELAY_<NAME> (e.g. VOUCH_RELAY_PORT),",
                "else this file, else its default."})
    Path config;

    @Option(names = "--port", paramLabel = "P",
            description = "TCP port (default: " + RelayServer.DEFAULT_PORT + "; 0 picks a free one).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder for the relay's database, TLS key and log key (created owner-only). Back it up. Required.")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on (default: " + RelayServer.DEFAULT_BIND + ", this machine only).")
    String bind;

    @Option(names = "--host", paramLabel = "NAME",
            description = "Host name or address clients reach the relay by, put in the invite (default: the bind address).")
    String host;

    @Option(names = "--invite-days", paramLabel = "N",
            description = "Days until the printed invite expires (default: 30).")
    Integer inviteDays;

    @Option(names = "--registrations-per-minute", paramLabel = "N",
            description = {"Registrations allowed from one address in any minute (default: 10).",
                "Raise it for a load test on this machine, or for many users behind one address."})
    Integer registrationsPerMinute;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "logfmt (default: time=... event=... key=value) or json (one object per line).")
    String logFormat;

    @Option(names = "--misbehave", paramLabel = "MODE",
            description = {"Attack this relay's clients on purpose, for tests and demonstrations of key transparency:",
                "substitute-key, substitute-key-logged, split-view, rollback, drop-entry or bad-proof",
                "(docs/transparency.md, \"Misbehaving on purpose\"). Never on a relay people use."})
    String misbehave;

    @Override
    public Integer call() throws Exception {
        RelaySettings settings = RelaySettings.load(config, System.getenv());
        int port = settings.integer("port", this.port, RelayServer.DEFAULT_PORT, 0, 65535);
        int inviteDays = settings.integer("invite-days", this.inviteDays, 30, 1, 3650);
        int registrationsPerMinute = settings.integer("registrations-per-minute", this.registrationsPerMinute, 10, 1,
                1_000_000);
        String bind = settings.string("bind", this.bind, RelayServer.DEFAULT_BIND);
        String host = settings.string("host", this.host, null);
        Path data = settings.text("data", this.data).map(Path::of).orElseThrow(
                () -> new UsageException("give the relay's data folder: --data DIR, $VOUCH_RELAY_DATA or data = DIR in --config"));
        String format = settings.string("log-format", logFormat, "logfmt");
        if (!format.equals("logfmt") && !format.equals("json")) {
            throw new UsageException("log-format must be logfmt or json" + settings.where("log-format", logFormat)
                    + ", not " + format);
        }
        Optional<Misbehavior.Mode> mode = Optional.empty();
        if (misbehave != null) {
            mode = Misbehavior.Mode.parse(misbehave);
            if (mode.isEmpty()) {
                throw new UsageException("--misbehave must be one of " + Arrays.stream(Misbehavior.Mode.values())
                        .map(Misbehavior.Mode::flag).collect(Collectors.joining(", ")));
            }
        }
        String inviteHost = host != null ? host : bind;
        if (isWildcard(bind) && host == null) {
            throw new UsageException("with --bind " + bind + " give --host, the name clients reach this relay by");
        }
        PrintWriter out = root.spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        java.util.function.Consumer<String> println = line -> {
            out.println(line);
            out.flush();
        };
        RelayEvents events = format.equals("json") ? RelayEvents.json(println, clock) : RelayEvents.lines(println, clock);
        RelayServer relay = RelayServer.start(new RelayServer.Config(bind, port, data, clock,
                Limits.DEFAULT.withRegistrationsPerMinute(registrationsPerMinute), events, mode));
        Thread hook = new Thread(relay::close, "relay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Instant expires = clock.instant().plus(Duration.ofDays(inviteDays)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Invite invite;
            try {
                invite = relay.invite(inviteHost, expires);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--host " + inviteHost + " cannot go in an invite: " + e.getMessage());
            }
            Path png = data.resolve(INVITE_PNG);
            QrImages.writePng(invite.link(), png);
            events.emit("pin", RelayEvents.fields("spki_sha256", invite.pinText()));
            events.emit("log-key", RelayEvents.fields("ed25519", invite.logKeyText().orElseThrow(),
                    "status", relay.logKeyCreated() ? "created" : "loaded"));
            events.emit("invite", RelayEvents.fields("link", invite.link(), "expires", expires, "qr", png.toAbsolutePath()));
            relay.join();
        } catch (RuntimeException | IOException e) {
            relay.close();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped the relay
            }
        }
        return 0;
    }


    private static boolean isWildcard(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
