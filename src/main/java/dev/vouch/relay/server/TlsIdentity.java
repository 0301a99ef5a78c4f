package dev.vouch.relay.server;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The relay's TLS key pair and self-signed certificate, kept as PEM files in the data folder
 * (owner-only) and made on first start. Clients pin {@link #spkiPin()}: losing these files means
 * every client must accept a new pin, so they belong in backups (docs/relay.md).
 */
public final class TlsIdentity {
    public static final String KEY_FILE = "tls-key.pem";
    public static final String CERT_FILE = "tls-cert.pem";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final boolean created;

    private TlsIdentity(PrivateKey privateKey, X509Certificate certificate, boolean created) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.created = created;
    }

    /** Loads the key and certificate from {@code dataDirectory}, or makes and stores them when both are absent. */
    public static TlsIdentity loadOrCreate(Path dataDirectory, Clock clock) throws IOException, GeneralSecurityException {
        createOwnerOnlyDirectory(dataDirectory);
        Path keyFile = dataDirectory.resolve(KEY_FILE);
        Path certFile = dataDirectory.resolve(CERT_FILE);
        boolean haveKey = Files.exists(keyFile);
        boolean haveCert = Files.exists(certFile);
        if (haveKey != haveCert) {
            throw new IOException("only one of " + KEY_FILE + " and " + CERT_FILE + " is in " + dataDirectory
                    + ": restore both from a backup, or remove both to make a new identity (clients must re-pin)");
        }
        if (!haveKey) {
            SelfSignedCertificate made = SelfSignedCertificate.generate("Vouch relay", clock.instant(),
                    CryptoRandom.get());
            writeOwnerOnly(keyFile, pem("PRIVATE KEY", made.keyPair().getPrivate().getEncoded()));
            writeOwnerOnly(certFile, pem("CERTIFICATE", made.certificate().getEncoded()));
            return new TlsIdentity(made.keyPair().getPrivate(), made.certificate(), true);
        }
        restrictToOwner(keyFile, OWNER_ONLY_FILE);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(unpem(Files.readString(keyFile, StandardCharsets.US_ASCII), "PRIVATE KEY")));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(unpem(Files.readString(certFile, StandardCharsets.US_ASCII), "CERTIFICATE")));
        checkPair(key, cert);
        return new TlsIdentity(key, cert, false);
    }

    /** Whether this start made the identity (a new pin). */
    public boolean created() {
        return created;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate's SubjectPublicKeyInfo: what clients pin. */
    public byte[] spkiPin() {
        return SelfSignedCertificate.spkiPin(certificate);
    }

    /** A TLS 1.3 context serving this key and certificate. */
    public SSLContext sslContext() throws GeneralSecurityException {
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot make an in-memory key store", e);
        }
        store.setKeyEntry("relay", privateKey, password, new X509Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), null, CryptoRandom.get());
        return context;
    }

    private static void checkPair(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = "Vouch relay key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(KEY_FILE + " does not belong to " + CERT_FILE);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String text, String type) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new GeneralSecurityException("not a PEM " + type);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed PEM " + type, e);
        }
    }

    /**
     * Creates the folder readable by its owner only. An existing folder is left as it is (it may be
     * shared, like /tmp); {@link #othersCanRead} tells whether to warn about it.
     */
    static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dir + " exists and is not a folder", e);
        }
        restrictToOwner(dir, OWNER_ONLY_DIR);
    }

    /** Whether users other than the owner may list or enter the folder (false where permissions are not POSIX). */
    static boolean othersCanRead(Path dir) throws IOException {
        if (!posix(dir)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                || permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    /** Makes existing files owner-only (the database and its WAL hold access keys). */
    static void restrictFilesToOwner(Path... files) throws IOException {
        for (Path file : files) {
            if (Files.exists(file)) {
                restrictToOwner(file, OWNER_ONLY_FILE);
            }
        }
    }

    /** Writes through a temporary file that never had wider permissions, then moves it into place. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (posix(file.getParent())) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restrictToOwner(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (posix(path)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean posix(Path path) {
        return path != null && Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                != null;
    }
}
