package dev.vouch.relay.client;

import dev.vouch.relay.api.Invite;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A relay as a client reaches it: the WebSocket address from an invite and one HTTP client that
 * speaks TLS 1.3 only and trusts only the key the invite pins. The address and the pin are bound
 * together here, so a connection cannot be opened to one relay while trusting another's key.
 *
 * <p>Each {@link RelayConnection} made from an {@link Invite} gets its own endpoint (and so its own
 * HTTP client, which has a selector thread of its own). Connections made from one shared endpoint
 * share that client's selector thread and executor: a load test holds thousands of connections in
 * one JVM this way.
 */
public final class RelayEndpoint {
    private final URI uri;
    private final HttpClient http;

    private RelayEndpoint(URI uri, HttpClient http) {
        this.uri = uri;
        this.http = http;
    }

    /** An endpoint with the HTTP client's default executor. */
    public static RelayEndpoint of(Invite invite, Duration connectTimeout) {
        return build(invite, connectTimeout, null);
    }

    /**
     * An endpoint whose HTTP client runs its asynchronous work, and the listeners of every
     * connection made from it, on {@code executor}; listeners must therefore not block.
     */
    public static RelayEndpoint of(Invite invite, Duration connectTimeout, Executor executor) {
        return build(invite, connectTimeout, Objects.requireNonNull(executor, "executor"));
    }

    private static RelayEndpoint build(Invite invite, Duration connectTimeout, Executor executor) {
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        String host = invite.host().contains(":") && !invite.host().startsWith("[") ? "[" + invite.host() + "]" : invite.host();
        URI uri = URI.create("wss://" + host + ":" + invite.port() + "/v1/websocket");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .sslContext(pinnedTls13(invite.spkiPin()))
                .sslParameters(tls13Parameters())
                .connectTimeout(connectTimeout);
        if (executor != null) {
            builder.executor(executor);
        }
        return new RelayEndpoint(uri, builder.build());
    }

    /** TLS 1.3 only, trusting the pinned key alone. */
    private static SSLContext pinnedTls13(byte[] pin) {
        try {
            return PinningTrustManager.sslContext(pin, "TLSv1.3");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks TLS 1.3", e);
        }
    }

    private static SSLParameters tls13Parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3"});
        // The pin is the relay's identity; its self-signed certificate names no host.
        parameters.setEndpointIdentificationAlgorithm(null);
        return parameters;
    }

    /** The relay's WebSocket address. */
    public URI uri() {
        return uri;
    }

    HttpClient http() {
        return http;
    }
}
