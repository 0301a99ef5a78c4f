package dev.vouch.archive.profile;

/**
 * Watches an export or import: hears its progress and may cancel it. Called on the thread doing
 * the work, so implementations must be quick (a UI hands the figures to its own thread).
 */
public interface TransferMonitor {
    /** Nothing to report, never cancels. */
    TransferMonitor NONE = new TransferMonitor() {
    };

    /**
     * {@code done} of {@code total} units: messages for an export, archive bytes for an import.
     * {@code total} is 0 when unknown.
     */
    default void progress(long done, long total) {
    }

    /** Polled between records; true stops the transfer with a {@link TransferCancelledException}. */
    default boolean cancelled() {
        return false;
    }
}
