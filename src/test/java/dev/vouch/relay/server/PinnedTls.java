package dev.vouch.relay.server;

import dev.vouch.relay.client.PinningTrustManager;
import javax.net.ssl.SSLContext;

/** TLS for the relay tests, trusting exactly one SPKI pin, through the production pinning trust manager. */
public final class PinnedTls {
    private PinnedTls() {
    }

    public static SSLContext context(byte[] pin, String protocol) throws Exception {
        return PinningTrustManager.sslContext(pin, protocol);
    }

    public static SSLContext context(byte[] pin) throws Exception {
        return context(pin, "TLS");
    }
}
