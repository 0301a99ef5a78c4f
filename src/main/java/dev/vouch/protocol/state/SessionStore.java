package dev.vouch.protocol.state;

import dev.vouch.protocol.ProtocolAddress;
import java.util.Optional;

/** Sessions per remote device. Implementations return a fresh copy on every load. */
public interface SessionStore {
    Optional<SessionRecord> loadSession(ProtocolAddress address) throws StateUnavailableException;

    void storeSession(ProtocolAddress address, SessionRecord record) throws StateUnavailableException;

    void deleteSession(ProtocolAddress address) throws StateUnavailableException;
}
