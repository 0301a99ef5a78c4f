package dev.vouch.testing;

import dev.vouch.relay.server.RelayStorage;
import dev.vouch.relay.server.RelayStorageException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's real SQLite storage, except that {@code lookup} may serve another device list than
 * the one stored for a handle: a relay that hands out an old, forged or malformed list, for tests
 * of what a client refuses. Everything else, the log included, is the real storage's.
 */
public final class ListSwappingStorage extends ForwardingRelayStorage {
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();

    public ListSwappingStorage(RelayStorage inner) {
        super(inner);
    }

    /** From now on, {@code lookup} of {@code handle} serves {@code list} instead of the stored one. */
    public void serve(String handle, byte[] list) {
        served.put(handle, list.clone());
    }

    /** Back to the stored lists. */
    public void honest() {
        served.clear();
    }

    @Override
    public Optional<AccountDevices> lookup(String handle) throws RelayStorageException {
        Optional<AccountDevices> real = inner.lookup(handle);
        byte[] swapped = served.get(handle);
        if (real.isEmpty() || swapped == null) {
            return real;
        }
        return Optional.of(new AccountDevices(real.get().accountKey(), real.get().devices(), Optional.of(swapped)));
    }
}
