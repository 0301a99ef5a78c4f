package dev.vouch.ui.common;

import dev.vouch.relay.api.Invite;
import java.nio.file.Path;
import java.util.Optional;

/**
 * "Try it on this computer": a relay inside the app, on loopback, whose data lives in the profile
 * folder. Provided by the composition root ({@code dev.vouch.app}); the UI never sees the relay.
 */
public interface LocalRelays extends AutoCloseable {
    /** Starts a new relay for this profile and returns its invite. Blocking: call it in the background. */
    Invite start(Path profileDirectory) throws Exception;

    /** Starts this profile's relay again if an earlier run made one (same port, same keys). */
    Optional<Invite> resume(Path profileDirectory) throws Exception;

    /** The running relay's invite, for others on this computer to join. */
    Optional<Invite> running();

    @Override
    void close();

    /** For setups without an embedded relay. */
    LocalRelays NONE = new LocalRelays() {
        @Override
        public Invite start(Path profileDirectory) throws Exception {
            throw new UnsupportedOperationException("this build cannot start a relay");
        }

        @Override
        public Optional<Invite> resume(Path profileDirectory) {
            return Optional.empty();
        }

        @Override
        public Optional<Invite> running() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };
}
