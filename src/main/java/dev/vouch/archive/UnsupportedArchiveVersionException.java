package dev.vouch.archive;

/** The archive's format version is not one this build reads (made by a newer Vouch, or damaged). */
public final class UnsupportedArchiveVersionException extends ArchiveException {
    private final int version;

    public UnsupportedArchiveVersionException(int version) {
        super("archive format version " + version + " is not supported (this Vouch reads version "
                + ArchiveHeader.VERSION + ")");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
