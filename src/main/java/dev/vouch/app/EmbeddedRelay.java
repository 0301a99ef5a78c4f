package dev.vouch.app;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.ui.common.LocalRelays;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * "Try it on this computer": a real relay (TLS, log, mailboxes) in this process, on 127.0.0.1,
 * keeping its data in the profile's {@code local-relay} folder. The first start picks a free port
 * and remembers it, so later starts of the app bring the same relay back (same port, same pinned key)
 * and the profile's stored invite still works.
 */
public final class EmbeddedRelay implements LocalRelays {
    static final String FOLDER = "local-relay";
    static final String PORT_FILE = "port";
    private static final String HOST = "127.0.0.1";
    private static final Duration INVITE_LIFETIME = Duration.ofDays(30);

    private final Clock clock;
    private RelayServer server;

    public EmbeddedRelay(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Invite start(Path profileDirectory) throws Exception {
        if (server != null) {
            return invite();
        }
        Path data = profileDirectory.resolve(FOLDER);
        int port = rememberedPort(data).orElse(0);
        server = RelayServer.start(new RelayServer.Config(HOST, port, data, clock, Limits.DEFAULT, RelayEvents.NONE));
        Files.writeString(data.resolve(PORT_FILE), Integer.toString(server.port()), StandardCharsets.US_ASCII);
        return invite();
    }

    @Override
    public synchronized Optional<Invite> resume(Path profileDirectory) throws Exception {
        if (!Files.isDirectory(profileDirectory.resolve(FOLDER))) {
            return Optional.empty();
        }
        return Optional.of(start(profileDirectory));
    }

    @Override
    public synchronized Optional<Invite> running() {
        return server == null ? Optional.empty() : Optional.of(invite());
    }

    private Invite invite() {
        return server.invite(HOST, clock.instant().plus(INVITE_LIFETIME).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static Optional<Integer> rememberedPort(Path data) {
        try {
            Path file = data.resolve(PORT_FILE);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            int port = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return port > 0 && port < 65536 ? Optional.of(port) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
