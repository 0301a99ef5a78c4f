package dev.vouch.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a command's passphrase comes from, in this order: {@code --passphrase-file FILE} (its first
 * line), the {@code VOUCH_PASSPHRASE} environment variable, a prompt on the terminal (no echo). An
 * archive's passphrase comes the same way from {@code --archive-passphrase-file} and
 * {@code VOUCH_ARCHIVE_PASSPHRASE}.
 */
final class Passphrases {
    static final String ENVIRONMENT = "VOUCH_PASSPHRASE";
    static final String ARCHIVE_ENVIRONMENT = "VOUCH_ARCHIVE_PASSPHRASE";

    private Passphrases() {
    }

    static char[] read(Path file, Map<String, String> environment, String prompt, boolean confirm)
            throws PassphraseException {
        return read(file, "--passphrase-file", environment, ENVIRONMENT, prompt, confirm);
    }

    /** The archive passphrase, from {@code --archive-passphrase-file}, {@code VOUCH_ARCHIVE_PASSPHRASE} or a prompt. */
    static char[] readArchive(Path file, Map<String, String> environment, String prompt, boolean confirm)
            throws PassphraseException {
        return read(file, "--archive-passphrase-file", environment, ARCHIVE_ENVIRONMENT, prompt, confirm);
    }

    private static char[] read(Path file, String option, Map<String, String> environment, String variable,
                               String prompt, boolean confirm) throws PassphraseException {
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                String line = end < 0 ? text : text.substring(0, end);
                return nonEmpty(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, "the file " + file);
            } catch (IOException e) {
                throw new PassphraseException("cannot read the passphrase file " + file + ": " + e.getMessage());
            }
        }
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null) {
            return nonEmpty(fromEnvironment, variable);
        }
        Console console = System.console();
        if (console == null) {
            throw new PassphraseException("no passphrase: use " + option + " FILE, set " + variable
                    + ", or run in a terminal");
        }
        char[] first = console.readPassword("%s: ", prompt);
        if (first == null || first.length == 0) {
            throw new PassphraseException("no passphrase entered");
        }
        if (confirm) {
            char[] second = console.readPassword("Repeat it: ");
            boolean same = Arrays.equals(first, second);
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new PassphraseException("the two entries differ");
            }
        }
        return first;
    }

    private static char[] nonEmpty(String value, String source) throws PassphraseException {
        if (value.isEmpty()) {
            throw new PassphraseException("the passphrase from " + source + " is empty");
        }
        return value.toCharArray();
    }
}
