package dev.vouch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --archive-passphrase-file} option of every command that reads or writes an archive. */
final class ArchivePassphraseOption {
    @Option(names = "--archive-passphrase-file", paramLabel = "FILE",
            description = "Read the archive passphrase from the first line of FILE (else $VOUCH_ARCHIVE_PASSPHRASE, else a prompt).")
    Path file;

    /** The archive passphrase from the option, the environment or a prompt ({@code confirm}: asked twice). */
    char[] read(String prompt, boolean confirm) throws PassphraseException {
        return Passphrases.readArchive(file, System.getenv(), prompt, confirm);
    }
}
