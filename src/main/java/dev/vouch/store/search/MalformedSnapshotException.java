package dev.vouch.store.search;

/** A serialized index that does not parse or fails a consistency check; it is discarded and rebuilt. */
final class MalformedSnapshotException extends Exception {
    MalformedSnapshotException(String message) {
        super(message);
    }
}
