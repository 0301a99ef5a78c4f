package dev.vouch.archive;

import java.io.IOException;

/**
 * Why an archive cannot be read. An {@link IOException} so that {@link ArchiveReader}, an
 * {@code InputStream}, can throw it from {@code read}; callers that care catch the subtypes.
 */
public abstract class ArchiveException extends IOException {
    protected ArchiveException(String message) {
        super(message);
    }
}
