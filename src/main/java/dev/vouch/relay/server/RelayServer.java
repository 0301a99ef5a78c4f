package dev.vouch.relay.server;

import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.api.Wire;
import dev.vouch.transparency.log.LogKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The relay (docs/relay-protocol.md): HTTPS with TLS 1.3 only, {@code GET /health}, and the
 * protocol's WebSocket at {@code /v1/websocket}. Start it with {@link #start}; {@link #close}
 * stops accepting, closes every connection and then the storage.
 */
public final class RelayServer implements AutoCloseable {
    public static final String WEBSOCKET_PATH = "/v1/websocket";
    public static final String HEALTH_PATH = "/health";
    public static final int DEFAULT_PORT = 7443;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Hard cap above which Jetty itself drops a connection; between {@link Wire#MAX_FRAME} and this, the relay answers too-large first. */
    static final int JETTY_MAX_TEXT = Wire.MAX_FRAME + (1 << 20);
    static final int MAX_BINARY = 64 * 1024;

    /**
     * How to run a relay.
     *
     * @param bind the address to listen on
     * @param port the TCP port; 0 picks a free one (tests)
     * @param dataDirectory where the database, the TLS identity and the log key live
     * @param misbehave a way to misbehave on purpose, for tests and demonstrations ({@link Misbehavior})
     */
    public record Config(String bind, int port, Path dataDirectory, Clock clock, Limits limits, RelayEvents events,
                         Optional<Misbehavior.Mode> misbehave) {
        public Config {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(misbehave, "misbehave");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
        }

        /** An honest relay. */
        public Config(String bind, int port, Path dataDirectory, Clock clock, Limits limits, RelayEvents events) {
            this(bind, port, dataDirectory, clock, limits, events, Optional.empty());
        }
    }

    private final Config config;
    private final Server server;
    private final ServerConnector connector;
    private final RelayCore core;
    private final TlsIdentity tls;
    private final LogKeyFile.Loaded logKey;
    private final ScheduledExecutorService timer;
    private final Object closeLock = new Object();
    private boolean closed;
    private final Object misbehaviorLock = new Object();
    private Optional<Misbehavior.Mode> misbehaving;

    private RelayServer(Config config, Server server, ServerConnector connector, RelayCore core, TlsIdentity tls,
                        LogKeyFile.Loaded logKey, ScheduledExecutorService timer) {
        this.config = config;
        this.server = server;
        this.connector = connector;
        this.core = core;
        this.tls = tls;
        this.logKey = logKey;
        this.timer = timer;
        this.misbehaving = config.misbehave();
    }

    /** Starts a relay on SQLite storage in the data folder. */
    public static RelayServer start(Config config) throws IOException, GeneralSecurityException, RelayStorageException {
        Path data = config.dataDirectory();
        TlsIdentity.createOwnerOnlyDirectory(data);
        SqliteRelayStorage storage = SqliteRelayStorage.open(data);
        String db = SqliteRelayStorage.FILE_NAME;
        try {
            TlsIdentity.restrictFilesToOwner(data.resolve(db), data.resolve(db + "-wal"), data.resolve(db + "-shm"));
        } catch (IOException e) {
            storage.close();
            throw e;
        }
        return start(config, storage);
    }

    /** Starts a relay on the given storage, which it closes when it stops. */
    public static RelayServer start(Config config, RelayStorage storage) throws IOException, GeneralSecurityException {
        ScheduledExecutorService timer = newTimer();
        Server server = null;
        try {
            TlsIdentity tls = TlsIdentity.loadOrCreate(config.dataDirectory(), config.clock());
            LogKeyFile.Loaded logKey = LogKeyFile.loadOrCreate(config.dataDirectory());
            Misbehavior misbehavior = config.misbehave().isPresent()
                    ? Misbehavior.of(config.misbehave().get(), storage.log(), config.clock())
                    : Misbehavior.none(storage.log());
            RelayCore core = new RelayCore(storage, config.clock(), config.limits(), config.events(), timer,
                    new LogService(storage, logKey.signer(), config.clock(), misbehavior));

            QueuedThreadPool threads = new QueuedThreadPool(200, 8);
            threads.setName("relay");
            server = new Server(threads);
            server.setStopTimeout(5_000);

            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls.sslContext());
            ssl.setIncludeProtocols("TLSv1.3");
            ssl.setRenegotiationAllowed(false);
            ssl.setSniRequired(false);

            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // The certificate names no host: clients pin its key, so an SNI name must not be checked against it.
            http.addCustomizer(new SecureRequestCustomizer(false));

            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
            connector.setHost(config.bind());
            connector.setPort(config.port());
            connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
            server.addConnector(connector);

            WebSocketUpgradeHandler websocket = WebSocketUpgradeHandler.from(server, container -> {
                container.setMaxTextMessageSize(JETTY_MAX_TEXT);
                container.setMaxBinaryMessageSize(MAX_BINARY);
                container.setIdleTimeout(config.limits().idleTimeout());
                container.setAutoFragment(true);
                container.addMapping(WEBSOCKET_PATH, (request, response, callback) ->
                        new RelayConnection(core, Request.getRemoteAddr(request)));
            });
            websocket.setHandler(new HealthHandler());
            server.setHandler(websocket);
            server.start();

            RelayServer relay = new RelayServer(config, server, connector, core, tls, logKey, timer);
            long sweepMillis = config.limits().sweepInterval().toMillis();
            timer.scheduleWithFixedDelay(relay::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
            // Write deadlines are checked for all connections at once: a stalled peer is dropped within
            // about a second (a tenth of the timeout, if that is shorter) after its write timeout.
            long checkMillis = Math.max(10, Math.min(1000, config.limits().writeTimeout().toMillis() / 10));
            timer.scheduleWithFixedDelay(core::checkWrites, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
            if (TlsIdentity.othersCanRead(config.dataDirectory())) {
                config.events().emit("warning", RelayEvents.fields("reason",
                        "the data folder is open to other users; make it owner-only (chmod 700)"));
            }
            config.events().emit("listening", RelayEvents.fields("bind", config.bind(), "port", relay.port(),
                    "tls", "TLSv1.3", "identity", tls.created() ? "created" : "loaded"));
            config.misbehave().ifPresent(relay::warnMisbehaving);
            return relay;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            stopQuietly(server);
            timer.shutdownNow();
            storage.close();
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            timer.shutdownNow();
            storage.close();
            throw new IOException("the relay could not start: " + e.getMessage(), e);
        }
    }

    private static ScheduledExecutorService newTimer() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "relay-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The port the relay listens on (the chosen one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String bind() {
        return config.bind();
    }

    /** SHA-256 of the relay certificate's SubjectPublicKeyInfo: what clients pin. */
    public byte[] spkiPin() {
        return tls.spkiPin();
    }

    /** The transparency log's public key, which clients pin from the invite. */
    public LogKey logKey() {
        return logKey.signer().logKey();
    }

    /** Whether this start made the log key (clients must accept a new invite). */
    public boolean logKeyCreated() {
        return logKey.created();
    }

    /** An invite to this relay, reached as {@code host}: its TLS pin and log key. */
    public Invite invite(String host, Instant expires) {
        return new Invite(host, port(), spkiPin(), Optional.of(logKey().publicKey()), Optional.of(expires));
    }

    /**
     * Misbehaves on purpose from now on in {@code mode}, or answers honestly again when empty (for
     * demonstrations: {@code vouch demo}). A mode starts afresh from the log as it is now; what an
     * earlier mode made up (relay-made keys, forks) is dropped. Clients that saw it remember it.
     */
    public void misbehave(Optional<Misbehavior.Mode> mode) throws RelayStorageException {
        Objects.requireNonNull(mode, "mode");
        synchronized (misbehaviorLock) {
            LogService log = core.transparency;
            TransparencyLog honest = log.honestLog();
            log.misbehave(mode.isPresent() ? Misbehavior.of(mode.get(), honest, config.clock()) : Misbehavior.none(honest));
            misbehaving = mode;
        }
        if (mode.isPresent()) {
            warnMisbehaving(mode.get());
        } else {
            config.events().emit("behaving", RelayEvents.fields("reason", "honest answers again"));
        }
    }

    /** The mode the relay misbehaves in now, if any. */
    public Optional<Misbehavior.Mode> misbehaving() {
        synchronized (misbehaviorLock) {
            return misbehaving;
        }
    }

    private void warnMisbehaving(Misbehavior.Mode mode) {
        config.events().emit("warning", RelayEvents.fields("misbehave", mode,
                "reason", "misbehaving on purpose: this relay attacks its clients' key transparency;"
                        + " for tests and demonstrations only"));
    }

    /** Deletes envelopes older than the envelope lifetime; returns how many. Runs periodically by itself. */
    public int sweepExpired() throws RelayStorageException {
        int deleted = core.storage.deleteEnvelopesReceivedBefore(
                config.clock().instant().minus(config.limits().envelopeLifetime()));
        if (deleted > 0) {
            config.events().emit("expired", RelayEvents.fields("envelopes", deleted));
        }
        return deleted;
    }

    private void sweepQuietly() {
        try {
            sweepExpired();
        } catch (RelayStorageException | RuntimeException e) {
            config.events().emit("storage-error", RelayEvents.fields("request", "sweep", "error", String.valueOf(e.getMessage())));
        }
    }

    /** Connections currently authenticated as a device. */
    public int onlineDevices() {
        return core.onlineDevices();
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, closes every connection (1001), waits for them up to a few seconds, closes the storage. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        config.events().emit("stopping");
        stopQuietly(server);
        timer.shutdownNow();
        core.storage.close();
        config.events().emit("stopped");
    }

    private static void stopQuietly(Server server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway; the storage is closed next
        }
    }

    /** {@code GET /health}: a fixed answer for monitoring; everything else that is not the WebSocket is 404. */
    private static final class HealthHandler extends Handler.Abstract.NonBlocking {
        private static final String BODY = "{\"status\":\"ok\",\"protocol\":" + Frames.PROTOCOL + "}";

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!HEALTH_PATH.equals(Request.getPathInContext(request))) {
                return false;
            }
            if (!HttpMethod.GET.is(request.getMethod())) {
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Content.Sink.write(response, true, BODY, callback);
            return true;
        }
    }
}
