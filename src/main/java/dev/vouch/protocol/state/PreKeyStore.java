package dev.vouch.protocol.state;

import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import java.util.Optional;

/** Our own prekeys with their private parts. */
public interface PreKeyStore {
    Optional<SignedPreKey> loadSignedPreKey(int id) throws StateUnavailableException;

    void storeSignedPreKey(SignedPreKey key) throws StateUnavailableException;

    Optional<OneTimePreKey> loadOneTimePreKey(int id) throws StateUnavailableException;

    void storeOneTimePreKey(OneTimePreKey key) throws StateUnavailableException;

    /** Called once a session consumed the key: a one-time prekey is never used twice. */
    void removeOneTimePreKey(int id) throws StateUnavailableException;

    Optional<KemPreKey> loadKemPreKey(int id) throws StateUnavailableException;

    void storeKemPreKey(KemPreKey key) throws StateUnavailableException;

    /**
     * Called once a session set up with base key {@code baseKey} used the key: implementations
     * delete a one-time ML-KEM prekey, and for the last-resort one remember the base key until the
     * key is replaced, so a replayed prekey message cannot set up a session again.
     */
    void markKemPreKeyUsed(int id, byte[] baseKey) throws StateUnavailableException;

    /** Whether the last-resort ML-KEM prekey {@code id} already set up a session with {@code baseKey}. */
    boolean kemPreKeyUsedWith(int id, byte[] baseKey) throws StateUnavailableException;
}
