package dev.vouch.cli;

import dev.vouch.service.KeyDirectory;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.VerificationState;
import java.io.PrintWriter;

/** Tells the person at the terminal about key changes and problems, on stderr. */
class CliListener implements MessengerListener {
    private final PrintWriter err;

    CliListener(PrintWriter err) {
        this.err = err;
    }

    /** A listener that tells nothing (for commands that report the same facts themselves). */
    static MessengerListener quiet() {
        return MessengerListener.NONE;
    }

    @Override
    public void keysChanged(KeyDirectory.Observation observation) {
        if (!observation.accountKeyChanged()) {
            return;
        }
        String handle = observation.contact().handle();
        synchronized (err) {
            if (observation.contact().verification() == VerificationState.CHANGED_AFTER_VERIFIED) {
                err.println("warning: " + handle + "'s account key changed after you verified it; messages to "
                        + handle + " are held until you review the change: vouch review " + handle);
            } else {
                err.println("notice: " + handle + "'s account key changed; see: vouch keys " + handle);
            }
            err.flush();
        }
    }

    @Override
    public void problem(String message) {
        synchronized (err) {
            err.println("vouch: " + message);
            err.flush();
        }
    }
}
