package dev.vouch.ui.demo;

import dev.vouch.store.ProfileStore;
import java.nio.file.Path;

/**
 * A running demo, as the composition root ({@code dev.vouch.app}) sets it up: a relay on this
 * computer, and two throwaway profiles, Alice and Bob, registered with it, contacts of each other,
 * already talking, both unlocked. The UI never sees the relay itself: it asks it to misbehave.
 */
public interface Demo extends AutoCloseable {
    /** What the relay does to the key transparency of its clients. */
    enum Relay {
        /** Serves a relay-made key for everyone else (for Bob, to Alice), without logging it. */
        SUBSTITUTE_KEY,
        /** Serves everyone else's keys with one relay-made device more, in a list they never signed. */
        INJECT_DEVICE,
        /** Shows the first to ask the honest log, everyone else a fork of it. */
        SPLIT_VIEW,
        /** Answers honestly. */
        HONEST
    }

    /** The handles of the two profiles. */
    String ALICE = "alice";
    String BOB = "bob";

    /** The temporary folder that holds the relay and both profiles; deleted by {@link #close}. */
    Path folder();

    /** Alice's profile, unlocked; its window owns it from when it opens. */
    ProfileStore alice();

    /** Bob's profile, unlocked; its window owns it from when it opens. */
    ProfileStore bob();

    /** The passphrase both throwaway profiles were made with, for unlocking a window locked by hand. */
    String passphrase();

    /** Makes the relay behave as {@code relay} from its next answer on. Blocking: call it in the background. */
    void relay(Relay relay) throws Exception;

    /** Stops the relay and deletes the folder; call it after both windows closed their profiles. */
    @Override
    void close();
}
