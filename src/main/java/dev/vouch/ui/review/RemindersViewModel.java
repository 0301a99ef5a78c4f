package dev.vouch.ui.review;

import dev.vouch.service.ReviewReminders;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.common.UiSettings;
import dev.vouch.ui.notifications.Notifier;
import java.time.Instant;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * "Remind me later" coming due while the app is unlocked (docs/devices.md, "Reminders"): the main
 * window shows a banner for each due reminder, with "Review now", and each reminder sends one
 * desktop notification the first time it is found due, as the notification settings allow (never
 * a message's text). Checked at unlock, after each review answer, and whenever the next reminder's
 * time has come by the session's clock ({@link #tick()}, every second, reads no store until then).
 */
public final class RemindersViewModel {
    private final Session session;
    private final UiExecutors executors;
    private final UiSettings settings;
    private final Notifier notifier;
    private final ObservableList<ReviewReminders.Due> due = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty("");
    private Optional<Instant> next = Optional.empty();
    private boolean checking;
    private boolean checkAgain;
    private boolean disposed;

    public RemindersViewModel(Session session, UiExecutors executors, UiSettings settings, Notifier notifier) {
        this.session = session;
        this.executors = executors;
        this.settings = settings;
        this.notifier = notifier;
    }

    /** The due reminders, one banner each, until their contact's change is answered. */
    public ObservableList<ReviewReminders.Due> due() {
        return due;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** Reads the reminders again in the background, notifying once of each newly due one. */
    public void check() {
        if (disposed) {
            return;
        }
        if (checking) {
            checkAgain = true;
            return;
        }
        checking = true;
        executors.run(() -> session.messenger().reminders().fire(), found -> {
            if (!disposed) {
                problem.set("");
                due.setAll(found.due());
                next = found.next();
                found.fired().forEach(this::notifyOf);
            }
            checked();
        }, failure -> {
            problem.set(Problems.describe(failure));
            checked();
        });
    }

    private void checked() {
        checking = false;
        if (checkAgain) {
            checkAgain = false;
            check();
        }
    }

    /** On the UI thread, often: checks once the next reminder's time has come. */
    public void tick() {
        if (next.isPresent() && !next.get().isAfter(session.messenger().clock().instant())) {
            next = Optional.empty();
            check();
        }
    }

    /** The banner's words for a due reminder. */
    public static String text(ReviewReminders.Due reminder) {
        String who = reminder.handle();
        String messages = reminder.held() == 1 ? "1 message to " + who + " is" : reminder.held() + " messages to " + who
                + " are";
        return "You asked to be reminded: " + messages + " still held until you review " + who + "'s new key.";
    }

    /** Title and body of a reminder's notification under {@code content}: the contact only where senders show. */
    static String[] notification(NotificationContent content, ReviewReminders.Due reminder) {
        return content == NotificationContent.NOTHING
                ? new String[] {"Vouch", "A reminder is waiting"}
                : new String[] {"Vouch", "Reminder: your messages to " + reminder.handle() + " are held until you"
                        + " review " + reminder.handle() + "'s new key"};
    }

    private void notifyOf(ReviewReminders.Due reminder) {
        if (settings.notifications()) {
            String[] shown = notification(settings.notificationContent(), reminder);
            notifier.show(shown[0], shown[1]);
        }
    }

    /** The session is ending: late answers change nothing. */
    public void dispose() {
        disposed = true;
        next = Optional.empty();
    }
}
