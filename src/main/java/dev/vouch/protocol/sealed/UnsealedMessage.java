package dev.vouch.protocol.sealed;

import java.util.Objects;

/**
 * An opened envelope: who sent it (authenticated by layer 2) and the inner message, still to be
 * decrypted in the session with {@code sender().address()}.
 */
public record UnsealedMessage(SenderCertificate sender, ContentType type, byte[] inner) {
    public UnsealedMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        inner = inner.clone();
    }

    @Override
    public byte[] inner() {
        return inner.clone();
    }
}
