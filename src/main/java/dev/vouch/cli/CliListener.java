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
        String handle = observation.contact().handle();
        if (!observation.accountKeyChanged()) {
            if (observation.deviceAdded() || observation.events().stream()
                    .anyMatch(e -> e.type() == dev.vouch.store.model.KeyEvent.Type.DEVICE_REMOVED)) {
                synchronized (err) {
                    err.println(observation.contact().verification() == VerificationState.CHANGED_AFTER_VERIFIED
                            ? "warning: " + handle + " has a new device; messages to " + handle
                                    + " are held until you review it: vouch review " + handle
                            : "notice: " + handle + "'s devices changed; see: vouch devices " + handle);
                    err.flush();
                }
            }
            return;
        }
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
