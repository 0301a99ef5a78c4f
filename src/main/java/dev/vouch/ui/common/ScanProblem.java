package dev.vouch.ui.common;

/** A scanned or pasted code that cannot be used, with the one sentence to show for it. */
public final class ScanProblem extends Exception {
    public ScanProblem(String message) {
        super(message);
    }
}
