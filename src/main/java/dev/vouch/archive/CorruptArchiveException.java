package dev.vouch.archive;

/**
 * The archive was damaged or tampered with: its header is malformed, a chunk does not
 * authenticate, the stream ends before its last chunk, or bytes follow the last chunk. Nothing of
 * a chunk that fails is ever returned.
 */
public final class CorruptArchiveException extends ArchiveException {
    /** The chunk index for failures outside the chunks (the header). */
    public static final long HEADER = -1;

    /** What is wrong, for callers and tests that need more than the message. */
    public enum Kind {
        /** The header parses but a field is out of bounds, or the header itself is cut short. */
        MALFORMED_HEADER,
        /** The stream ends inside a chunk, or after a chunk that is not marked last. */
        TRUNCATED,
        /**
         * A chunk's frame is impossible or its tag does not verify under its position: altered
         * bytes, or a chunk swapped, duplicated or removed (the chunk counter is bound into each
         * chunk, so a chunk out of place fails like an altered one).
         */
        TAMPERED,
        /** Bytes follow the chunk marked last. */
        TRAILING_DATA
    }

    private final Kind kind;
    private final long chunk;

    public CorruptArchiveException(Kind kind, long chunk, String detail) {
        super((chunk == HEADER ? "archive header" : "archive chunk " + chunk) + ": " + detail);
        this.kind = kind;
        this.chunk = chunk;
    }

    public Kind kind() {
        return kind;
    }

    /** The zero-based index of the chunk at fault, or {@link #HEADER}. */
    public long chunk() {
        return chunk;
    }
}
