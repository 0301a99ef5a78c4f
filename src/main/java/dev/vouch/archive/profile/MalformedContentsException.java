package dev.vouch.archive.profile;

import dev.vouch.archive.ArchiveException;

/**
 * The archive decrypted and authenticated, but what it carries does not follow the contents format:
 * an unknown record, a field out of bounds, records out of order, or counts that do not add up.
 * Only another program (or a bug) writes such an archive, since the passphrase holder made it.
 */
public final class MalformedContentsException extends ArchiveException {
    public MalformedContentsException(String message) {
        super("archive contents: " + message);
    }
}
