package dev.vouch.protocol;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.ratchet.PendingPreKey;
import dev.vouch.protocol.ratchet.SessionState;
import dev.vouch.protocol.state.ProtocolStore;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.protocol.x3dh.Pqxdh;
import java.security.SecureRandom;
import java.util.OptionalInt;

/**
 * Starts a session with a remote device from its prekey bundle (the initiator's side of PQXDH).
 * The responder's side runs inside {@link SessionCipher} when the first message arrives.
 */
public final class SessionBuilder {
    private final ProtocolStore store;
    private final ProtocolAddress remote;
    private final SecureRandom random;

    public SessionBuilder(ProtocolStore store, ProtocolAddress remote) {
        this(store, remote, CryptoRandom.get());
    }

    public SessionBuilder(ProtocolStore store, ProtocolAddress remote, SecureRandom random) {
        this.store = store;
        this.remote = remote;
        this.random = random;
    }

    /**
     * Runs PQXDH against {@code bundle} and makes the result the current session with the remote
     * device; messages can be encrypted at once.
     *
     * @throws UntrustedIdentityException when the bundle's identity key is not the trusted one
     * @throws InvalidPreKeyException when the bundle is for another device or its keys are refused
     * @throws StateUnavailableException when the store cannot be read or written
     */
    public void process(PreKeyBundle bundle)
            throws UntrustedIdentityException, InvalidPreKeyException, StateUnavailableException {
        if (bundle.deviceId() != remote.deviceId()) {
            throw new InvalidPreKeyException("bundle is for device " + bundle.deviceId() + ", not " + remote);
        }
        try {
            store.transaction(() -> {
                if (!store.isTrusted(remote, bundle.identityKey())) {
                    throw new UntrustedIdentityException(remote);
                }
                DeviceIdentity local = store.localIdentity();
                SessionState state;
                try {
                    Pqxdh.Initiation init = Pqxdh.initiate(local, bundle, random);
                    OptionalInt oneTime = bundle.oneTimePreKey().map(k -> OptionalInt.of(k.id())).orElse(OptionalInt.empty());
                    PendingPreKey pending = new PendingPreKey(bundle.signedPreKey().id(), oneTime,
                            bundle.kemPreKey().id(), init.kemCiphertext());
                    state = SessionState.initiator(local.publicKey(), bundle.identityKey(), init.sharedSecret(),
                            init.baseKey(), bundle.signedPreKey().publicKey(), pending, random);
                } catch (InvalidKeyMaterialException e) {
                    throw new InvalidPreKeyException("bundle key refused: " + e.getMessage());
                }
                SessionRecord record = store.loadSession(remote).orElse(null);
                if (record == null) {
                    record = new SessionRecord(state);
                } else {
                    record.promote(state);
                }
                store.saveIdentity(remote, bundle.identityKey());
                store.storeSession(remote, record);
                return null;
            });
        } catch (UntrustedIdentityException | InvalidPreKeyException | StateUnavailableException e) {
            throw e;
        } catch (ProtocolException e) {
            throw new IllegalStateException("unexpected failure during session setup", e);
        }
    }
}
