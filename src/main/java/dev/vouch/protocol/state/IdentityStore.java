package dev.vouch.protocol.state;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.util.Optional;

/** Our device identity, and the identity keys we have seen for remote devices. */
public interface IdentityStore {
    DeviceIdentity localIdentity();

    /**
     * Whether a session may use {@code key} for {@code address}. The protocol asks before every
     * session setup and every send; the key-change policy (trust on first use, verified contacts,
     * signed device lists) is the implementation's.
     */
    boolean isTrusted(ProtocolAddress address, DeviceIdentityKey key) throws StateUnavailableException;

    /** Records the key in use for {@code address}; returns true when it replaced a different one. */
    boolean saveIdentity(ProtocolAddress address, DeviceIdentityKey key) throws StateUnavailableException;

    Optional<DeviceIdentityKey> identity(ProtocolAddress address) throws StateUnavailableException;
}
