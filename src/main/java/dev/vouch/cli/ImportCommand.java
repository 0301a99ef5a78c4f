package dev.vouch.cli;

import dev.vouch.archive.profile.ArchiveFiles;
import dev.vouch.archive.profile.ProfileImporter;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads an archive into the profile, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read an archive made by 'vouch export' into this profile, all or nothing: a damaged,"
                + " truncated or wrong-passphrase archive changes nothing.",
            "Into a folder without a profile, a full archive creates one (its passphrase as for 'vouch init') and"
                + " moves the account there. Into a profile of the same account, the archive merges: messages"
                + " already present are skipped."})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive.")
    Path file;

    @Mixin
    ArchivePassphraseOption archivePassphrase;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no archive file " + file);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = root.profileDirectory();
        ProfileImporter.Result result;
        if (ProfileStore.exists(dir)) {
            try (ProfileStore store = ProfileSession.unlocked(root)) {
                char[] secret = archiveSecret();
                try {
                    result = ArchiveFiles.importInto(store, file, secret,
                            Progress.toTerminal(err, "imported", "bytes"));
                } finally {
                    Arrays.fill(secret, '\0');
                }
            }
        } else {
            char[] secret = archiveSecret();
            char[] storePassphrase = null;
            try {
                storePassphrase = Passphrases.read(root.passphraseFile, System.getenv(), "New passphrase for " + dir, true);
                result = ArchiveFiles.importAsNewProfile(dir, storePassphrase, Argon2id.Params.RECOMMENDED, file,
                        secret, Progress.toTerminal(err, "imported", "bytes"), Clock.systemUTC());
            } finally {
                Arrays.fill(secret, '\0');
                if (storePassphrase != null) {
                    Arrays.fill(storePassphrase, '\0');
                }
            }
        }
        print(dir, result);
        return ExitCode.OK;
    }

    private char[] archiveSecret() throws PassphraseException {
        return archivePassphrase.read("Passphrase of the archive", false);
    }

    private void print(Path dir, ProfileImporter.Result result) {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Output.json(o, Output.object().put("profile", dir.toAbsolutePath().toString())
                    .put("account", result.header().handle()).put("accountRestored", result.accountRestored())
                    .put("messagesImported", result.messagesImported())
                    .put("messagesAlreadyPresent", result.messagesAlreadyPresent())
                    .put("contactsAdded", result.contactsAdded()).put("keyEventsAdded", result.keyEventsAdded()));
            return;
        }
        o.println("profile:     " + dir.toAbsolutePath());
        o.println("account:     " + result.header().handle() + (result.accountRestored() ? " (moved here)" : ""));
        o.println("messages:    " + result.messagesImported() + " imported, " + result.messagesAlreadyPresent()
                + " already present");
        o.println("contacts:    " + result.contactsAdded() + " added");
        o.println("key history: " + result.keyEventsAdded() + " entries added");
    }
}
