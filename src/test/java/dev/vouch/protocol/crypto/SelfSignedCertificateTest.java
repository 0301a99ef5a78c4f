package dev.vouch.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {
    @Test
    void makesAVerifiableP256CertificateWithItsSpkiPin() throws Exception {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        SelfSignedCertificate made = SelfSignedCertificate.generate("Vouch relay", now, new SecureRandom());
        X509Certificate cert = made.certificate();
        cert.verify(made.keyPair().getPublic());
        cert.checkValidity(java.util.Date.from(now));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Vouch relay");
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(made.keyPair().getPublic().getEncoded());
        assertThat(SelfSignedCertificate.spkiPin(cert)).hasSize(32).isEqualTo(expected);
        SelfSignedCertificate other = SelfSignedCertificate.generate("Vouch relay", now, new SecureRandom());
        assertThat(SelfSignedCertificate.spkiPin(other.certificate())).isNotEqualTo(expected);
    }
}
