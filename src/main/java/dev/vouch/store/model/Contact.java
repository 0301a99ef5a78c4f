package dev.vouch.store.model;

import dev.vouch.protocol.keys.AccountIdentityKey;
import java.time.Instant;
import java.util.Optional;

/** Someone we talk to. The account key is absent until we first fetch it. */
public record Contact(long id, String handle, String displayName, VerificationState verification,
                      Optional<AccountIdentityKey> accountKey, Instant addedAt) {
    public Contact withVerification(VerificationState state) {
        return new Contact(id, handle, displayName, state, accountKey, addedAt);
    }

    public Contact withAccountKey(AccountIdentityKey key) {
        return new Contact(id, handle, displayName, verification, Optional.of(key), addedAt);
    }

    public Contact withDisplayName(String name) {
        return new Contact(id, handle, name, verification, accountKey, addedAt);
    }
}
