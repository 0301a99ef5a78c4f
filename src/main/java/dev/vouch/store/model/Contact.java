package dev.vouch.store.model;

import dev.vouch.protocol.keys.AccountIdentityKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Someone we talk to. The account key is absent until we first fetch it, the profile key until
 * their first message brings it.
 */
public record Contact(long id, String handle, String displayName, VerificationState verification,
                      Optional<AccountIdentityKey> accountKey, Instant addedAt, Optional<ProfileKey> profileKey) {
    public Contact(long id, String handle, String displayName, VerificationState verification,
                   Optional<AccountIdentityKey> accountKey, Instant addedAt) {
        this(id, handle, displayName, verification, accountKey, addedAt, Optional.empty());
    }

    public Contact withVerification(VerificationState state) {
        return new Contact(id, handle, displayName, state, accountKey, addedAt, profileKey);
    }

    public Contact withAccountKey(AccountIdentityKey key) {
        return new Contact(id, handle, displayName, verification, Optional.of(key), addedAt, profileKey);
    }

    public Contact withDisplayName(String name) {
        return new Contact(id, handle, name, verification, accountKey, addedAt, profileKey);
    }

    public Contact withProfileKey(ProfileKey key) {
        return new Contact(id, handle, displayName, verification, accountKey, addedAt, Optional.of(key));
    }
}
