package dev.vouch.ui.demo;

import dev.vouch.service.DeviceListRefusedException;
import dev.vouch.service.Messenger;
import dev.vouch.service.ServiceException;
import dev.vouch.service.TransparencyFailureException;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The "misbehaving relay" panel: each action makes the demo's relay lie (or behave again), then
 * has Alice's app look Bob up at once, so the protection fires within seconds instead of at her
 * next message, and says in one sentence what the relay did and what to look for.
 */
public final class DemoViewModel {
    static final String READY = "The relay is honest. Pick a way for it to lie, and watch Alice's window.";
    static final String SUBSTITUTED = "The relay now hands Alice a key it made itself for Bob, one its own log does"
            + " not hold: Alice's window shows a transparency alert, and what she writes to Bob waits, encrypted to"
            + " no one.";
    static final String INJECTED = "The relay now adds a device of its own to Bob's device list, a list Bob never"
            + " signed: Alice's window says it refused Bob's device list, and nothing is encrypted to that device.";
    static final String SPLIT = "The relay now shows Bob another log than Alice's, and Bob just wrote to her: the"
            + " log head his message carries gives the fork away, and Alice's window shows a split-view alert.";
    static final String HONEST = "The relay answers honestly again: Alice's app takes Bob's real keys and sends what"
            + " waited; every alert stays in Bob's key history (open his contact panel).";
    static final String SPLIT_MESSAGE = "Alice, does the relay show you the same log as me?";

    private final Demo demo;
    private final ReadOnlyObjectProperty<Session> alice;
    private final ReadOnlyObjectProperty<Session> bob;
    private final UiExecutors executors;
    private final StringProperty status = new SimpleStringProperty(READY);
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    /**
     * @param alice Alice's window's session (empty while locked)
     * @param bob   Bob's window's session
     */
    public DemoViewModel(Demo demo, ReadOnlyObjectProperty<Session> alice, ReadOnlyObjectProperty<Session> bob,
                         UiExecutors executors) {
        this.demo = demo;
        this.alice = alice;
        this.bob = bob;
        this.executors = executors;
    }

    /** What the relay just did and what to look for, in one sentence. */
    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    /** Why an action did not show what it should (a window is locked, say), or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public Demo demo() {
        return demo;
    }

    /** "Substitute Bob's key": Alice's lookup of Bob must be refused as unlogged. */
    public void substituteKey() {
        act(Demo.Relay.SUBSTITUTE_KEY, "Telling the relay to substitute Bob's key…", SUBSTITUTED,
                TransparencyFailureException.class);
    }

    /** "Inject a device": Alice's lookup of Bob must refuse the device list. */
    public void injectDevice() {
        act(Demo.Relay.INJECT_DEVICE, "Telling the relay to inject a device into Bob's list…", INJECTED,
                DeviceListRefusedException.class);
    }

    /** "Show a split view": Alice keeps the honest log, Bob is shown a fork and writes to her. */
    public void splitView() {
        act(Demo.Relay.SPLIT_VIEW, "Telling the relay to split its log…", SPLIT, null);
    }

    /** "Behave again": honest answers; Alice's app looks Bob up again and sends what waited. */
    public void behave() {
        act(Demo.Relay.HONEST, "Telling the relay to behave…", HONEST, null);
    }

    /**
     * Switches the relay, then runs the lookups that make the protection fire. {@code expected} is
     * the failure Alice's lookup must end in (null: it must succeed); anything else is a problem.
     */
    private void act(Demo.Relay relay, String working, String done, Class<? extends Exception> expected) {
        Session a = alice.get();
        Session b = bob.get();
        if (a == null || b == null) {
            problem.set("Unlock both windows first (the passphrase is below).");
            return;
        }
        busy.set(true);
        problem.set("");
        status.set(working);
        executors.run(() -> {
            demo.relay(relay);
            Exception outcome = lookUp(a.messenger(), Demo.BOB);
            if (relay == Demo.Relay.SPLIT_VIEW && outcome == null) {
                // Alice asked first and keeps the honest log; Bob is shown the fork, then writes to her.
                outcome = lookUp(b.messenger(), Demo.ALICE);
                if (outcome == null) {
                    b.messenger().send(Demo.ALICE, SPLIT_MESSAGE);
                }
            }
            if (relay == Demo.Relay.HONEST && outcome == null) {
                a.messenger().flush();
            }
            return outcome;
        }, outcome -> {
            busy.set(false);
            status.set(done);
            boolean asExpected = expected == null ? outcome == null : expected.isInstance(outcome);
            if (asExpected) {
                return;
            }
            if (outcome == null) {
                problem.set("Alice's app accepted the relay's answer; is it connected?");
            } else if (outcome instanceof TransparencyFailureException || outcome instanceof DeviceListRefusedException) {
                // Bob's app, say, still holding the fork an earlier split view showed it
                problem.set("A check fired earlier than this step expects (an app remembers what the relay showed"
                        + " it before; start a new demo for a clean pair): " + Problems.describe(outcome));
            } else {
                problem.set("The lookup did not get through: " + Problems.describe(outcome)
                        + " Wait until both windows say Connected, then try again.");
            }
        }, failure -> {
            busy.set(false);
            status.set(READY);
            problem.set("The relay could not be switched: " + Problems.describe(failure));
        });
    }

    /** Looks the contact up as the window's app would before sending; returns how it failed, or null. */
    private static Exception lookUp(Messenger messenger, String handle) throws Exception {
        try {
            messenger.refreshKeys(messenger.keys().find(handle).orElseThrow(() ->
                    new IllegalStateException(handle + " is not a contact of this demo profile")));
            return null;
        } catch (ServiceException e) {
            return e; // the protection firing, or the app not connected yet: the caller tells which
        }
    }
}
