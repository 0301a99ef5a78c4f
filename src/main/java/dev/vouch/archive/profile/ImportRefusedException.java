package dev.vouch.archive.profile;

import dev.vouch.archive.ArchiveException;

/** The archive is sound but cannot go into this profile (it is another account's, or history-only into an empty profile). */
public final class ImportRefusedException extends ArchiveException {
    public ImportRefusedException(String message) {
        super(message);
    }
}
