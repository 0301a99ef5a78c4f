package dev.vouch.cli;

import dev.vouch.archive.ArchiveWriter;
import dev.vouch.archive.profile.ArchiveFiles;
import dev.vouch.archive.profile.ArchiveItem;
import dev.vouch.archive.profile.ProfileExporter;
import dev.vouch.store.ProfileStore;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the profile to an encrypted archive file (docs/archive-format.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write this profile to an encrypted archive: settings, contacts, conversations, messages,"
                + " key history, verification and transparency state, and (unless --history-only) the account's"
                + " private keys, which move the account.",
            "The archive has its own passphrase: --archive-passphrase-file, $VOUCH_ARCHIVE_PASSPHRASE or a prompt"
                + " (asked twice). The file appears only when complete."})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive file to write.")
    Path out;

    @Option(names = "--history-only", description = "Leave every private key out: the archive can be read anywhere"
            + " with 'vouch archive show' or merged into a profile of this account, but cannot move the account.")
    boolean historyOnly;

    @Mixin
    ArchivePassphraseOption archivePassphrase;

    @Option(names = "--force", description = "Replace FILE if it exists (atomically, once the new archive is complete).")
    boolean force;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        PrintWriter err = spec.commandLine().getErr();
        ArchiveItem.Scope scope = historyOnly ? ArchiveItem.Scope.HISTORY_ONLY : ArchiveItem.Scope.FULL;
        if (!force && out.toFile().exists()) {
            throw new UsageException(out + " exists: choose another name, or --force to replace it");
        }
        try (ProfileStore store = ProfileSession.unlocked(root)) {
            char[] passphrase = archivePassphrase.read("Passphrase for the new archive", true);
            ProfileExporter.Result result;
            try {
                result = ArchiveFiles.export(store, scope, out, passphrase, ArchiveWriter.DEFAULT_PARAMS, force,
                        Progress.toTerminal(err, "exported", "messages"), Clock.systemUTC());
            } catch (FileAlreadyExistsException e) {
                throw new UsageException(out + " exists: choose another name, or --force to replace it");
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            print(result);
        }
        return ExitCode.OK;
    }

    private void print(ProfileExporter.Result result) {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (result.damagedMessages() > 0) {
            err.println("vouch: " + result.damagedMessages() + " damaged message(s) failed the store's integrity"
                    + " check and were left out");
        }
        if (result.unnamedSettings() > 0) {
            err.println("vouch: " + result.unnamedSettings() + " setting(s) from an older Vouch have no stored name"
                    + " yet and were left out (they are named the next time Vouch reads them)");
        }
        boolean full = result.header().scope() == ArchiveItem.Scope.FULL;
        if (json) {
            Output.json(o, Output.object().put("file", out.toAbsolutePath().toString())
                    .put("scope", full ? "full" : "history-only").put("account", result.header().handle())
                    .put("records", result.end().records()).put("messages", result.end().messages())
                    .put("damagedMessages", result.damagedMessages()));
            return;
        }
        o.println("archive:     " + out.toAbsolutePath());
        o.println("contents:    " + (full ? "full (account keys included)" : "history only (no private keys)"));
        o.println("messages:    " + result.end().messages());
        if (full) {
            err.println("vouch: this archive holds the private keys of " + result.header().handle() + ": with its"
                    + " passphrase, anyone can read your messages and act as you. Keep it safe. After importing it on"
                    + " another machine, stop using this profile: both would be the same device.");
        }
    }
}
