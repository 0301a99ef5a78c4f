package dev.vouch.cli;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Shows where the profile is and how it is protected, without unlocking it. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Show the profile folder and how its store is protected (no passphrase needed).")
public final class ProfileCommand implements Callable<Integer> {
    @ParentCommand
    VouchCommand root;

    @Override
    public Integer call() throws StoreException {
        Path dir = root.profileDirectory();
        var out = root.spec.commandLine().getOut();
        out.println("profile: " + dir);
        if (!ProfileStore.exists(dir)) {
            out.println("state:   no profile here yet");
            return 0;
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            Argon2id.Params kdf = store.kdfParams();
            out.println("state:   present, locked");
            out.printf("key:     Argon2id, %d MiB, %d passes, %d lanes; AES-256-GCM sealed columns%n",
                    kdf.memoryKiB() / 1024, kdf.iterations(), kdf.parallelism());
        }
        return 0;
    }
}
