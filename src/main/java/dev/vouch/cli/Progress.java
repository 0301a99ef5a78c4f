package dev.vouch.cli;

import dev.vouch.archive.profile.TransferMonitor;
import java.io.PrintWriter;

/** Progress of a long transfer on the terminal: a line rewritten in place, only when a person is watching. */
final class Progress implements TransferMonitor {
    private final PrintWriter err;
    private final String verb;
    private final String unit;
    private long lastPercent = -1;

    private Progress(PrintWriter err, String verb, String unit) {
        this.err = err;
        this.verb = verb;
        this.unit = unit;
    }

    static TransferMonitor toTerminal(PrintWriter err, String verb, String unit) {
        return System.console() == null ? TransferMonitor.NONE : new Progress(err, verb, unit);
    }

    @Override
    public void progress(long done, long total) {
        long percent = total > 0 ? done * 100 / total : -1;
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        err.print("\r" + verb + " " + (total > 0 ? percent + "% (" + done + " of " + total + " " + unit + ")"
                : done + " " + unit));
        if (total > 0 && done >= total) {
            err.println();
        }
        err.flush();
    }
}
