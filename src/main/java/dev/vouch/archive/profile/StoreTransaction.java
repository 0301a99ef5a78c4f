package dev.vouch.archive.profile;

import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Runs archive work that reads or writes a stream inside one store transaction, rolled back if it throws. */
final class StoreTransaction {
    interface Work<T> {
        T run() throws IOException, StoreException, StateUnavailableException;
    }

    private StoreTransaction() {
    }

    static <T> T run(ProfileStore store, Work<T> work) throws StoreException, IOException {
        try {
            return store.context().database().transaction(connection -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (StateUnavailableException e) {
                    throw new StoreException(e.getMessage());
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
