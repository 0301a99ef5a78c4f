package dev.vouch.protocol.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An ECDSA P-256 key pair with a self-signed X.509 certificate, for a relay's TLS. Nobody checks
 * the certificate against the Web PKI: clients pin the SHA-256 of its SubjectPublicKeyInfo, so
 * the name and the dates only have to satisfy TLS stacks, and the validity is long.
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {
    /** Long enough that an operator never meets an expiry; the pin, not the date, is what clients check. */
    public static final Duration VALIDITY = Duration.ofDays(20 * 365);

    /** Makes a fresh P-256 key pair and a certificate for it named {@code CN=commonName}. */
    public static SelfSignedCertificate generate(String commonName, Instant now, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", ""));
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                    .build(pair.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            certificate.verify(pair.getPublic());
            return new SelfSignedCertificate(pair, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the JDK cannot make an ECDSA P-256 certificate", e);
        }
    }

    /** The pin clients keep: SHA-256 of the certificate's DER SubjectPublicKeyInfo. */
    public static byte[] spkiPin(X509Certificate certificate) {
        return Sha.sha256(certificate.getPublicKey().getEncoded());
    }
}
