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

    /** Called once a session used the key; implementations delete one-time KEM prekeys and keep the last-resort one. */
    void markKemPreKeyUsed(int id) throws StateUnavailableException;
}
