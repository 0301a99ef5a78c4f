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
 * line), the {@code VOUCH_PASSPHRASE} environment variable, a prompt on the terminal (no echo).
 */
final class Passphrases {
    static final String ENVIRONMENT = "VOUCH_PASSPHRASE";

    private Passphrases() {
    }

    static char[] read(Path file, Map<String, String> environment, String prompt, boolean confirm)
            throws PassphraseException {
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
        String fromEnvironment = environment.get(ENVIRONMENT);
        if (fromEnvironment != null) {
            return nonEmpty(fromEnvironment, ENVIRONMENT);
        }
        Console console = System.console();
        if (console == null) {
            throw new PassphraseException("no passphrase: use --passphrase-file FILE, set " + ENVIRONMENT
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
