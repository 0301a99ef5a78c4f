package dev.vouch.relay.server;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Test-side TLS that trusts exactly one SPKI pin (the production pinning client is relay.client's).
 * An X509ExtendedTrustManager, so the JDK does no host name check of its own: the pin is the check.
 */
public final class PinnedTls {
    private PinnedTls() {
    }

    public static SSLContext context(byte[] pin, String protocol) throws Exception {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, new TrustManager[] {new PinTrustManager(pin)}, null);
        return context;
    }

    public static SSLContext context(byte[] pin) throws Exception {
        return context(pin, "TLS");
    }

    static final class PinTrustManager extends X509ExtendedTrustManager {
        private final byte[] pin;

        PinTrustManager(byte[] pin) {
            this.pin = pin.clone();
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate");
            }
            try {
                byte[] actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getPublicKey().getEncoded());
                if (!MessageDigest.isEqual(actual, pin)) {
                    throw new CertificateException("the relay's key does not match the pin");
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
