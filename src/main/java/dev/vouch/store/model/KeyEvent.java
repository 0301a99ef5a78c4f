package dev.vouch.store.model;

import java.time.Instant;

/**
 * One entry of a contact's key history: every change a user must be able to see later.
 *
 * @param detail what changed in words a person can read (a fingerprint, a device name)
 */
public record KeyEvent(long id, long contactId, Instant at, Type type, String detail) {
    /** Stored by position: new types go at the end, and none is ever removed or moved. */
    public enum Type {
        FIRST_SEEN,
        ACCOUNT_KEY_CHANGED,
        DEVICE_ADDED,
        DEVICE_REMOVED,
        VERIFIED,
        VERIFICATION_REMOVED,
        TRANSPARENCY_CHECK_FAILED,
        ROLLBACK_REFUSED,
        /** A device list that was missing, not signed by the account key, malformed, or older than one seen before. */
        DEVICE_LIST_REFUSED
    }
}
