package dev.vouch.store.model;

/** How far we trust a contact's account key (PRODUCT.md, "Verification states"). */
public enum VerificationState {
    /** Trusted on first use: nobody compared numbers yet. */
    UNVERIFIED,
    /** Safety numbers compared or QR code scanned. */
    VERIFIED,
    /** The key set changed after verification: messages are held until the user reviews the change. */
    CHANGED_AFTER_VERIFIED
}
