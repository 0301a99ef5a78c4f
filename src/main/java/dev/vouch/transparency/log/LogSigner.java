package dev.vouch.transparency.log;

import dev.vouch.protocol.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.Objects;

/** The relay's log signing key: signs tree heads. Its {@link #logKey() public half} goes into the invite. */
public final class LogSigner {
    private final Ed25519.KeyPair keyPair;
    private final LogKey logKey;

    private LogSigner(Ed25519.KeyPair keyPair) {
        this.keyPair = keyPair;
        this.logKey = new LogKey(keyPair.publicKey());
    }

    public static LogSigner generate(SecureRandom random) {
        return new LogSigner(Ed25519.generate(Objects.requireNonNull(random, "random")));
    }

    /** From the 32-byte Ed25519 private key (seed) the relay keeps. */
    public static LogSigner fromPrivateKey(byte[] privateKey) {
        return new LogSigner(Ed25519.fromPrivateKey(privateKey));
    }

    /** A copy of the 32-byte private key, for the relay to store. */
    public byte[] privateKey() {
        return keyPair.privateKey();
    }

    public LogKey logKey() {
        return logKey;
    }

    public SignedTreeHead sign(TreeHead head) {
        return new SignedTreeHead(head, keyPair.sign(head.signedMessage()));
    }

    @Override
    public String toString() {
        return "LogSigner[" + logKey + ", private=<redacted>]";
    }
}
