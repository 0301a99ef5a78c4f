package dev.vouch.protocol.state;

import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import java.util.Optional;

/** Our own prekeys with their private parts. */
public interface PreKeyStore {
    Optional<SignedPreKey> loadSignedPreKey(int id);

    void storeSignedPreKey(SignedPreKey key);

    Optional<OneTimePreKey> loadOneTimePreKey(int id);

    void storeOneTimePreKey(OneTimePreKey key);

    /** Called once a session consumed the key: a one-time prekey is never used twice. */
    void removeOneTimePreKey(int id);

    Optional<KemPreKey> loadKemPreKey(int id);

    void storeKemPreKey(KemPreKey key);

    /** Called once a session used the key; implementations delete one-time KEM prekeys and keep the last-resort one. */
    void markKemPreKeyUsed(int id);
}
