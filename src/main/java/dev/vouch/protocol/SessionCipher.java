package dev.vouch.protocol;

import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.message.CiphertextMessage;
import dev.vouch.protocol.message.Padding;
import dev.vouch.protocol.message.PreKeyMessage;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.ratchet.PendingPreKey;
import dev.vouch.protocol.ratchet.SessionState;
import dev.vouch.protocol.state.ProtocolStore;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.protocol.x3dh.Pqxdh;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Encrypts to and decrypts from one remote device. Every operation loads the session, works on
 * that copy and stores it only on success, inside one store transaction: a refused message leaves
 * the stored session byte for byte as it was.
 */
public final class SessionCipher {
    private static final byte[] NO_SETUP = new byte[0];

    private final ProtocolStore store;
    private final ProtocolAddress remote;

    public SessionCipher(ProtocolStore store, ProtocolAddress remote) {
        this.store = store;
        this.remote = remote;
    }

    /**
     * Pads and encrypts {@code plaintext}. Until the remote device has answered, the result is a
     * {@link PreKeyMessage} so that it can start the session from any one of them.
     */
    public byte[] encrypt(byte[] plaintext) throws NoSessionException, UntrustedIdentityException,
            MessageTooLargeException, StateUnavailableException {
        byte[] padded = Padding.pad(plaintext);
        try {
            return store.transaction(() -> {
                SessionRecord record = store.loadSession(remote)
                        .orElseThrow(() -> new NoSessionException("no session with " + remote));
                SessionState state = record.current();
                if (!state.canSend()) {
                    throw new NoSessionException("session with " + remote + " cannot send yet");
                }
                if (!store.isTrusted(remote, state.remoteIdentity())) {
                    throw new UntrustedIdentityException(remote);
                }
                PendingPreKey pending = state.pendingPreKey();
                CiphertextMessage out;
                if (pending == null) {
                    out = state.encrypt(padded, NO_SETUP);
                } else {
                    byte[] setup = PreKeyMessage.setupBytes(state.localIdentity(), state.baseKey(),
                            pending.signedPreKeyId(), pending.oneTimePreKeyId(), pending.kemPreKeyId(),
                            pending.kemCiphertext());
                    out = new PreKeyMessage(state.localIdentity(), state.baseKey(), pending.signedPreKeyId(),
                            pending.oneTimePreKeyId(), pending.kemPreKeyId(), pending.kemCiphertext(),
                            state.encrypt(padded, setup));
                }
                store.storeSession(remote, record);
                return out.serialize();
            });
        } catch (NoSessionException | UntrustedIdentityException | StateUnavailableException e) {
            throw e;
        } catch (ProtocolException e) {
            throw new IllegalStateException("unexpected failure while encrypting", e);
        }
    }

    /** Decrypts and returns the plaintext. */
    public byte[] decrypt(byte[] serialized) throws ProtocolException {
        return decrypt(serialized, Function.identity());
    }

    /**
     * Decrypts {@code serialized} and hands the plaintext to {@code onPlaintext} inside the same
     * transaction that advances the session, so storing the message and the ratchet step happen
     * together or not at all (if the callback throws, neither happens).
     *
     * @throws MalformedDataException the bytes are not a Vouch message
     * @throws DuplicateMessageException the message was already received (duplicate or replay)
     * @throws InvalidMessageException the message fails authentication or is inconsistent
     * @throws NoSessionException a ratchet message arrived with no session to read it
     * @throws InvalidPreKeyException a prekey message names a prekey we no longer hold
     * @throws UntrustedIdentityException the sender's identity key is not the trusted one
     * @throws StateUnavailableException the store cannot be read or written
     */
    public <T> T decrypt(byte[] serialized, Function<byte[], T> onPlaintext) throws ProtocolException {
        CiphertextMessage message = CiphertextMessage.decode(serialized);
        return store.transaction(() -> message instanceof PreKeyMessage preKeyMessage
                ? decryptPreKeyMessage(preKeyMessage, onPlaintext)
                : decryptRatchetMessage((RatchetMessage) message, onPlaintext));
    }

    private <T> T decryptRatchetMessage(RatchetMessage message, Function<byte[], T> onPlaintext)
            throws ProtocolException {
        SessionRecord record = store.loadSession(remote)
                .orElseThrow(() -> new NoSessionException("no session with " + remote));
        // The current state first, then the previous ones, most recent first. The loop ends at the
        // first state that reads the message, before promote() reorders the record.
        List<SessionState> previous = record.previous();
        InvalidMessageException failure = null;
        for (int i = -1; i < previous.size(); i++) {
            SessionState state = i < 0 ? record.current() : previous.get(i);
            try {
                byte[] padded = state.decrypt(message, NO_SETUP);
                record.promote(state);
                return deliver(record, state, padded, onPlaintext);
            } catch (DuplicateMessageException e) {
                failure = e; // a duplicate in any state is the most precise answer
                break;
            } catch (InvalidMessageException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        throw failure;
    }

    private <T> T decryptPreKeyMessage(PreKeyMessage message, Function<byte[], T> onPlaintext)
            throws ProtocolException {
        if (!store.isTrusted(remote, message.senderIdentity())) {
            throw new UntrustedIdentityException(remote);
        }
        Optional<SessionRecord> existing = store.loadSession(remote);
        Optional<SessionState> known = existing.flatMap(r -> r.findByBaseKey(message.baseKey()));
        if (known.isPresent()) {
            // The session this message set up already exists: it is a later message, a duplicate or a replay.
            SessionRecord record = existing.get();
            SessionState state = known.get();
            byte[] padded = state.decrypt(message.message(), message.setupBytes());
            record.promote(state);
            return deliver(record, state, padded, onPlaintext);
        }

        SignedPreKey signedPreKey = store.loadSignedPreKey(message.signedPreKeyId())
                .orElseThrow(() -> new InvalidPreKeyException("no signed prekey " + Integer.toUnsignedString(message.signedPreKeyId())));
        OneTimePreKey oneTimePreKey = null;
        if (message.oneTimePreKeyId().isPresent()) {
            int id = message.oneTimePreKeyId().getAsInt();
            oneTimePreKey = store.loadOneTimePreKey(id)
                    .orElseThrow(() -> new InvalidPreKeyException("no one-time prekey " + Integer.toUnsignedString(id)));
        }
        KemPreKey kemPreKey = store.loadKemPreKey(message.kemPreKeyId())
                .orElseThrow(() -> new InvalidPreKeyException("no ML-KEM prekey " + Integer.toUnsignedString(message.kemPreKeyId())));
        if (kemPreKey.lastResort() && store.kemPreKeyUsedWith(kemPreKey.id(), message.baseKey())) {
            // Its session is gone from the record, but this setup already happened once: a replay.
            throw new DuplicateMessageException("this prekey message already set up a session");
        }
        byte[] sharedSecret;
        try {
            sharedSecret = Pqxdh.respond(store.localIdentity(), signedPreKey, oneTimePreKey,
                    kemPreKey, message.senderIdentity(), message.baseKey(), message.kemCiphertext());
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidMessageException("session setup refused: " + e.getMessage());
        }
        SessionState state = SessionState.responder(store.localIdentity().publicKey(), message.senderIdentity(),
                sharedSecret, message.baseKey(), signedPreKey.keyPair());
        byte[] padded = state.decrypt(message.message(), message.setupBytes());

        SessionRecord record = existing.orElse(null);
        if (record == null) {
            record = new SessionRecord(state);
        } else {
            record.promote(state);
        }
        if (oneTimePreKey != null) {
            store.removeOneTimePreKey(oneTimePreKey.id());
        }
        store.markKemPreKeyUsed(kemPreKey.id(), message.baseKey());
        store.saveIdentity(remote, message.senderIdentity());
        return deliver(record, state, padded, onPlaintext);
    }

    private <T> T deliver(SessionRecord record, SessionState state, byte[] padded, Function<byte[], T> onPlaintext)
            throws ProtocolException {
        if (!store.isTrusted(remote, state.remoteIdentity())) {
            throw new UntrustedIdentityException(remote);
        }
        T result = onPlaintext.apply(Padding.unpad(padded));
        store.storeSession(remote, record);
        return result;
    }
}
