package dev.vouch.archive;

/**
 * The passphrase does not match the archive's check value. The check value is derived from the
 * passphrase and the whole header before it, so a damaged salt, KDF parameter, stream id or check
 * value reads the same as a wrong passphrase: the two cannot be told apart by design.
 */
public final class WrongArchivePassphraseException extends ArchiveException {
    public WrongArchivePassphraseException() {
        super("wrong passphrase for this archive (or its header is damaged)");
    }
}
