package dev.vouch.ui.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.HeldReview;
import dev.vouch.service.Member;
import dev.vouch.service.Messenger;
import dev.vouch.service.ReviewReminders;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.common.UiSettings;
import dev.vouch.ui.notifications.Notifier;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reminders' model with a synchronous executor, on a real profile whose message to a verified
 * contact is held (he added a device), under a clock the test moves: "remind me later", the
 * banner and one notification when it is due, none before, none twice, and gone once accepted.
 */
class RemindersViewModelTest {
    @TempDir
    Path dir;
    private MutableClock clock;
    private LocalRelay relay;
    private ProfileStore store;
    private Session session;
    private UiSettings settings;
    private final List<String[]> shown = new CopyOnWriteArrayList<>();
    private final Notifier notifier = (title, body) -> shown.add(new String[] {title, body});

    @BeforeEach
    void held() throws Exception {
        clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        try (Member alice = Member.register(dir, "alice", relay, clock);
             Member bob = Member.register(dir, "bob", relay, clock)) {
            HeldReview.newDeviceHeld(alice, bob);
        }
        store = ProfileStore.open(dir.resolve("alice"), clock);
        store.unlock(Member.passphrase("alice"));
        session = Session.open(store, new Messenger.Options(RelayConnection.Options.defaults(), clock, new SecureRandom()));
        settings = UiSettings.load(dir.resolve("alice"));
    }

    @AfterEach
    void close() {
        session.close();
        store.close();
        relay.close();
    }

    @Test
    void aDueReminderShowsItsBannerAndNotifiesOnceWithoutTheText() throws Exception {
        RemindersViewModel reminders = new RemindersViewModel(session, UiExecutors.synchronous(), settings, notifier);
        ReviewViewModel review = new ReviewViewModel(session, UiExecutors.synchronous(), "bob", reminders::check);
        reminders.check();
        review.load();
        assertThat(review.pendingProperty().get()).isTrue();
        review.remindLater();
        assertThat(review.resultProperty().get()).startsWith("The messages stay held");
        assertThat(reminders.due()).as("a day ahead: not due").isEmpty();

        clock.advance(Duration.ofHours(23));
        reminders.tick();
        assertThat(reminders.due()).as("an hour early").isEmpty();
        assertThat(shown).isEmpty();

        clock.advance(Duration.ofHours(1));
        reminders.tick();
        assertThat(reminders.due()).singleElement().satisfies(d -> {
            assertThat(d.handle()).isEqualTo("bob");
            assertThat(d.held()).isEqualTo(1);
            assertThat(RemindersViewModel.text(d)).isEqualTo("You asked to be reminded: 1 message to bob is still held"
                    + " until you review bob's new key.");
        });
        assertThat(shown).singleElement().satisfies(n -> {
            assertThat(n[1]).contains("bob", "held").doesNotContain(HeldReview.TEXT);
        });

        clock.advance(Duration.ofMinutes(5));
        reminders.tick();
        reminders.check();
        assertThat(shown).as("once per reminder").hasSize(1);
        assertThat(reminders.due()).as("the banner stays until answered").hasSize(1);

        review.accept();
        assertThat(review.resultProperty().get()).startsWith("Accepted. 1 held message(s)");
        assertThat(reminders.due()).as("answered: the banner goes").isEmpty();
        assertThat(session.messenger().review("bob").held()).isEmpty();
        assertThat(session.messenger().history(session.messenger().keys().require("bob"), 10))
                .extracting(m -> m.status()).doesNotContain(MessageStatus.HELD);
        assertThat(shown).hasSize(1);
    }

    @Test
    void notificationsTurnedOffStillShowTheBannerAndChoosingLaterAgainSetsANewReminder() throws Exception {
        settings.notifications(false);
        RemindersViewModel reminders = new RemindersViewModel(session, UiExecutors.synchronous(), settings, notifier);
        ReviewViewModel review = new ReviewViewModel(session, UiExecutors.synchronous(), "bob", reminders::check);
        review.remindLater();
        clock.advance(Duration.ofDays(1));
        reminders.tick();
        assertThat(reminders.due()).hasSize(1);
        assertThat(shown).as("notifications are off").isEmpty();

        settings.notifications(true);
        review.remindLater();
        assertThat(reminders.due()).as("later again: not due").isEmpty();
        clock.advance(Duration.ofDays(1));
        reminders.tick();
        assertThat(reminders.due()).hasSize(1);
        assertThat(shown).as("the new reminder notifies").hasSize(1);
    }

    @Test
    void aNotificationNamesTheContactOnlyWhereSendersShow() {
        ReviewReminders.Due due = new ReviewReminders.Due("bob", Instant.EPOCH, 2);
        assertThat(RemindersViewModel.notification(NotificationContent.NOTHING, due)[1]).doesNotContain("bob");
        assertThat(RemindersViewModel.notification(NotificationContent.SENDER_ONLY, due)[1]).contains("bob");
        assertThat(RemindersViewModel.notification(NotificationContent.SENDER_AND_TEXT, due)[1]).contains("bob");
        assertThat(RemindersViewModel.text(due)).startsWith("You asked to be reminded: 2 messages to bob are still held");
    }
}
