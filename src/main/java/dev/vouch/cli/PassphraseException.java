package dev.vouch.cli;

/** No passphrase could be read (no terminal, unreadable file, empty entry). */
final class PassphraseException extends Exception {
    PassphraseException(String message) {
        super(message);
    }
}
