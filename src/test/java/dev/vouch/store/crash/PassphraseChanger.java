package dev.vouch.store.crash;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child process of {@code PassphraseChangeCrashTest}: opens the profile, says {@code READY}, changes
 * its passphrase from the first to the second argument, says {@code DONE}. Killed somewhere in between.
 */
public final class PassphraseChanger {
    /** Costly enough that a kill lands inside the change, not only around it. */
    public static final Argon2id.Params KDF = new Argon2id.Params(32 * 1024, 2, 1);

    private PassphraseChanger() {
    }

    public static void main(String[] args) throws Exception {
        try (ProfileStore store = ProfileStore.open(Path.of(args[0]), Clock.systemUTC())) {
            System.out.println("READY");
            System.out.flush();
            store.changePassphrase(args[1].toCharArray(), args[2].toCharArray(), KDF);
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
