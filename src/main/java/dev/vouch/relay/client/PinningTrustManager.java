package dev.vouch.relay.client;

import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.crypto.Sha;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server key: the leaf certificate's SubjectPublicKeyInfo must hash (SHA-256)
 * to the pin from the invite. The Web PKI, the certificate's names, issuer and dates play no part:
 * the relay's certificate is self-signed and the pin is its identity.
 *
 * <p>Being an {@link X509ExtendedTrustManager} matters: for a plain {@code X509TrustManager} the
 * JDK adds its own checks, hostname verification included, around the call; for an extended one
 * the trust manager's decision is the whole check, so the HTTPS endpoint identification the
 * HttpClient requests is not applied on top of the pin.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final byte[] pin;

    /**
     * An SSL context of {@code protocol} ("TLSv1.3" for Vouch; tests also ask for others) that
     * trusts exactly the certificate whose SPKI hashes to {@code pin}.
     */
    public static SSLContext sslContext(byte[] pin, String protocol) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, new TrustManager[] {new PinningTrustManager(pin)}, new SecureRandom());
        return context;
    }

    PinningTrustManager(byte[] pin) {
        if (pin == null || pin.length != 32) {
            throw new IllegalArgumentException("an SPKI pin is a SHA-256 (32 bytes)");
        }
        this.pin = pin.clone();
    }

    /** The pin of a certificate: SHA-256 of its DER SubjectPublicKeyInfo. */
    static byte[] spkiPin(X509Certificate certificate) {
        return Sha.sha256(certificate.getPublicKey().getEncoded());
    }

    static String text(byte[] pin) {
        return B64URL.encodeToString(pin);
    }

    /** Thrown inside the TLS handshake; {@link RelayConnection} turns it into a {@link PinMismatchException}. */
    static final class Mismatch extends CertificateException {
        final String expected;
        final String presented;

        Mismatch(String expected, String presented) {
            super("relay key pin mismatch: expected " + expected + ", presented " + presented);
            this.expected = expected;
            this.presented = presented;
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the relay presented no certificate");
        }
        byte[] presented = spkiPin(chain[0]);
        if (!ConstantTime.equals(pin, presented)) {
            throw new Mismatch(text(pin), text(presented));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
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
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a relay client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
