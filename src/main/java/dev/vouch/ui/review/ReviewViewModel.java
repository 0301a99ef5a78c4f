package dev.vouch.ui.review;

import dev.vouch.service.Messenger;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Reviewing a verified contact's key change: what changed and when, how many messages are held,
 * and the two answers: accept the new key (the held messages go out, each once, and the contact
 * is unverified until compared again) or be reminded later (they stay held).
 */
public final class ReviewViewModel {
    /** How long "remind me later" waits. */
    public static final Duration LATER = Duration.ofDays(1);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final Session session;
    private final UiExecutors executors;
    private final String handle;
    private final Runnable changed;
    private final ObservableList<String> changes = FXCollections.observableArrayList();
    private final BooleanProperty pending = new SimpleBooleanProperty(false);
    private final IntegerProperty held = new SimpleIntegerProperty(0);
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty result = new SimpleStringProperty("");

    /** {@code changed} runs (on the UI thread) after an answer, so the conversation can refresh its banner. */
    public ReviewViewModel(Session session, UiExecutors executors, String handle, Runnable changed) {
        this.session = session;
        this.executors = executors;
        this.handle = handle;
        this.changed = changed;
    }

    public String handle() {
        return handle;
    }

    /** The key changes in the contact's history, oldest first. */
    public ObservableList<String> changes() {
        return changes;
    }

    public ReadOnlyBooleanProperty pendingProperty() {
        return pending;
    }

    public ReadOnlyIntegerProperty heldProperty() {
        return held;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyStringProperty resultProperty() {
        return result;
    }

    public void load() {
        executors.run(() -> session.messenger().review(handle), review -> {
            pending.set(review.pending());
            held.set(review.held().size());
            changes.setAll(review.history().stream().filter(e -> e.type() != KeyEvent.Type.VERIFIED
                    && e.type() != KeyEvent.Type.FIRST_SEEN).map(e -> WHEN.format(e.at()) + "  "
                    + e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.detail()).toList());
            summary.set(summary(review));
        }, failure -> result.set(Problems.describe(failure)));
    }

    private String summary(Messenger.Review review) {
        if (!review.pending()) {
            return "No key change of " + handle + " is waiting for review.";
        }
        String later = review.remindLater().map(at -> " You asked to be reminded at " + WHEN.format(at) + ".").orElse("");
        return handle + "'s safety number changed after you verified it. This happens when they set Vouch up"
                + " again (a new computer, a reinstall), or when someone is trying to read their messages."
                + " Ask " + handle + " in person or on a call before you accept. " + review.held().size()
                + " message(s) to them are held and sent only if you accept." + later;
    }

    /** Accepts the new key: the held messages go out once; the contact is unverified until compared again. */
    public void accept() {
        executors.run(() -> session.messenger().approve(handle), released -> {
            result.set("Accepted. " + released + " held message(s) are on their way. " + handle + " is not verified"
                    + " any more: compare safety numbers again to verify the new key.");
            load();
            changed.run();
        }, failure -> result.set(Problems.describe(failure)));
    }

    /** Keeps the messages held and records a reminder a day from now. */
    public void remindLater() {
        executors.run(() -> session.messenger().remindLater(handle, LATER), at -> {
            result.set("The messages stay held. Vouch will remind you at " + WHEN.format(at) + ".");
            load();
            changed.run();
        }, failure -> result.set(Problems.describe(failure)));
    }

}
