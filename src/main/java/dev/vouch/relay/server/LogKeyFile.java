package dev.vouch.relay.server;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.transparency.log.LogSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The transparency log's Ed25519 signing key, kept in {@code DATA/}{@value #FILE_NAME} (owner-only,
 * PEM-style base64 of the 32-byte private key) and made on first start. Clients pin its public
 * half from the invite: losing the file means every client must accept a new log key (a new
 * invite), and whoever copies it can sign tree heads in the relay's name, so it belongs in backups
 * and nowhere else (docs/relay.md).
 */
final class LogKeyFile {
    static final String FILE_NAME = "log-key";
    private static final String PEM_TYPE = "VOUCH LOG KEY";

    /** The key, and whether this start made it. */
    record Loaded(LogSigner signer, boolean created) {
    }

    private LogKeyFile() {
    }

    static Loaded loadOrCreate(Path dataDirectory) throws IOException, GeneralSecurityException {
        TlsIdentity.createOwnerOnlyDirectory(dataDirectory);
        Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            LogSigner signer = LogSigner.generate(CryptoRandom.get());
            TlsIdentity.writeOwnerOnly(file, TlsIdentity.pem(PEM_TYPE, signer.privateKey()));
            return new Loaded(signer, true);
        }
        TlsIdentity.restrictFilesToOwner(file);
        byte[] privateKey = TlsIdentity.unpem(Files.readString(file, StandardCharsets.US_ASCII), PEM_TYPE);
        if (privateKey.length != Ed25519.PRIVATE_KEY_LENGTH) {
            throw new GeneralSecurityException(FILE_NAME + " does not hold a " + Ed25519.PRIVATE_KEY_LENGTH
                    + "-byte Ed25519 key: restore it from a backup, or remove it to sign with a new key (clients must"
                    + " accept a new invite)");
        }
        return new Loaded(LogSigner.fromPrivateKey(privateKey), false);
    }
}
