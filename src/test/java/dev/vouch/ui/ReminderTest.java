package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.HeldReview;
import dev.vouch.service.Member;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.notifications.ToastNotifier;
import dev.vouch.ui.review.ReviewView;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * "Remind me later" coming due in a real window, under a clock the test moves (the relay's and the
 * session's): alice's message to bob is held (bob added a device while she holds new devices); she
 * asks to be reminded; a day later the reminder banner comes back with its words and one in-window
 * notification; locking and unlocking shows the banner again without a second notification;
 * "Review now" opens bob's review; accepting sends the held message once.
 */
class ReminderTest extends DesktopTest {
    @Test
    void aDueReminderBringsTheBannerBackAndReviewNowLeadsToTheAcceptance() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT)) {
            try (Member alice = Member.register(dir, "alice", relay, clock);
                 Member bob = Member.register(dir, "bob", relay, clock)) {
                HeldReview.newDeviceHeld(alice, bob);
            }
            Messenger.Options options = new Messenger.Options(Desktops.MESSENGER.relay(), clock, new SecureRandom());
            DesktopConfig config = new DesktopConfig(dir.resolve("alice"), Desktops.FAST_KDF, Duration.ZERO,
                    Clock.systemUTC(), options, LocalRelays.NONE, UiExecutors.forFx(), owner -> Optional.empty());
            AtomicInteger notified = new AtomicInteger();
            AtomicReference<String> said = new AtomicReference<>("");
            VouchDesktop desktop = Desktops.open(robot, config, 0, root -> {
                ToastNotifier toast = new ToastNotifier(root);
                return (title, body) -> {
                    notified.incrementAndGet();
                    said.set(body);
                    toast.show(title, body);
                };
            });
            unlock(desktop);
            Node reminder = Desktops.find(desktop, "reminderBanner");
            assertThat(reminder.isVisible()).as("no reminder asked for yet").isFalse();

            Desktops.type(robot, Desktops.find(desktop, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            Desktops.await("the key-change banner", () -> Desktops.<Node>find(desktop, "keyChangeBanner").isVisible());
            Desktops.press(robot, Desktops.find(desktop, "reviewButton"));
            Button later = Desktops.find(desktop, "remindLater");
            Desktops.await("the review loaded", () -> !later.isDisabled());
            Desktops.press(robot, later);
            Desktops.await("remind me later", () -> Desktops.<Label>find(desktop, "reviewResult").getText()
                    .startsWith("The messages stay held"));
            Thread.sleep(1500); // the timer runs a time or two: nothing is due yet
            assertThat(reminder.isVisible()).isFalse();
            assertThat(notified.get()).isZero();

            clock.advance(Duration.ofDays(1).plusMinutes(1));
            Desktops.await("the reminder banner", reminder::isVisible);
            assertThat(Desktops.<Label>find(desktop, "reminderText").getText()).isEqualTo(
                    "You asked to be reminded: 1 message to bob is still held until you review bob's new key.");
            Desktops.await("the in-window notification", () -> desktop.stage().getScene().getRoot()
                    .lookup("#toast") != null);
            assertThat(said.get()).contains("bob", "held").doesNotContain(HeldReview.TEXT);
            Thread.sleep(2500); // more ticks of the timer
            assertThat(notified.get()).as("one notification per reminder").isEqualTo(1);

            robot.interact(() -> desktop.viewModel().lock());
            Desktops.awaitScreen(desktop, Screen.UNLOCK);
            unlock(desktop);
            Node again = Desktops.find(desktop, "reminderBanner");
            Desktops.await("the banner at unlock", again::isVisible);
            assertThat(notified.get()).as("told already").isEqualTo(1);
            assertThat(desktop.stage().getScene().getRoot().lookup("#reviewPanel")).as("nothing open yet").isNull();

            Desktops.press(robot, Desktops.find(desktop, "reviewNow"));
            Desktops.await("the review screen", () -> desktop.stage().getScene().getRoot()
                    .lookup("#reviewPanel") instanceof ReviewView view && view.viewModel().handle().equals("bob"));
            Button accept = Desktops.find(desktop, "acceptChange");
            Desktops.await("accept enabled", () -> !accept.isDisabled());
            Desktops.press(robot, accept);
            Desktops.await("accepted", () -> Desktops.<Label>find(desktop, "reviewResult").getText()
                    .startsWith("Accepted. 1 held message(s)"));
            Desktops.await("the reminder banner gone", () -> !again.isVisible());
            Desktops.await("the message sent", () -> Desktops.shown(desktop).stream().anyMatch(m ->
                    m.text().equals(HeldReview.TEXT) && m.status() == MessageStatus.SENT));
            robot.interact(() -> desktop.stage().hide());

            try (ProfileStore store = ProfileStore.open(dir.resolve("bob"), clock)) {
                store.unlock(Member.passphrase("bob"));
                try (Messenger bob = Messenger.open(store, new Messenger.Options(RelayConnection.Options.defaults(),
                        clock, new SecureRandom()), MessengerListener.NONE)) {
                    bob.connect();
                    bob.awaitMailbox(Duration.ofSeconds(20));
                    assertThat(bob.unread(10)).extracting(m -> m.body().text()).containsExactly(HeldReview.TEXT);
                }
            }
        }
    }

    private void unlock(VouchDesktop desktop) {
        Desktops.unlock(robot, desktop, new String(Member.passphrase("alice")));
        Desktops.await("a connection", () -> Desktops.<Label>find(desktop, "connection").getText().equals("Connected"));
    }
}
