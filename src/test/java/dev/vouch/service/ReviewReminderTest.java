package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.VerificationState;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Remind me later" on real profiles and a real relay, under a clock the test moves: a verified
 * bob adds a device while alice holds new devices, so her message waits for review; her reminder
 * is not due before its time, is due after it, fires once, fires again once moved, and goes when
 * the change is accepted or bob is verified again.
 */
class ReviewReminderTest {
    @TempDir
    Path dir;
    private MutableClock clock;
    private LocalRelay relay;
    private Member alice;
    private Member bob;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        relay.close();
    }

    private Contact bobAtAlice() throws Exception {
        return alice.messenger().keys().require("bob");
    }

    private Messenger heldForReview() throws Exception {
        return HeldReview.newDeviceHeld(alice, bob);
    }

    @Test
    void aReminderIsDueAtItsTimeFiresOnceAndGoesWithTheAcceptance() throws Exception {
        Messenger a = heldForReview();
        assertThat(a.reminders().fire().next()).as("no reminder asked for yet").isEmpty();

        Instant at = a.remindLater("bob", Duration.ofDays(1));
        assertThat(at).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(a.review("bob").remindLater()).contains(at);
        ReviewReminders.Check before = a.reminders().fire();
        assertThat(before.due()).as("not due before its time").isEmpty();
        assertThat(before.fired()).isEmpty();
        assertThat(before.next()).contains(at);

        clock.advance(Duration.ofDays(1).minusSeconds(1));
        assertThat(a.reminders().due()).as("a second early").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        ReviewReminders.Due expected = new ReviewReminders.Due("bob", at, 1);
        assertThat(a.reminders().due()).containsExactly(expected);
        ReviewReminders.Check first = a.reminders().fire();
        assertThat(first.due()).containsExactly(expected);
        assertThat(first.fired()).as("told the first time").containsExactly(expected);
        assertThat(first.next()).isEmpty();
        ReviewReminders.Check second = a.reminders().fire();
        assertThat(second.due()).as("still due: the messages are still held").containsExactly(expected);
        assertThat(second.fired()).as("but told only once").isEmpty();

        alice.offline();
        ReviewReminders.Check reopened = alice.messenger().reminders().fire();
        assertThat(reopened.fired()).as("once per reminder, not per session").isEmpty();
        Messenger b = alice.online();

        Instant again = b.remindLater("bob", Duration.ofDays(1));
        assertThat(b.reminders().fire().due()).as("moved a day on: not due").isEmpty();
        clock.advance(Duration.ofDays(2));
        assertThat(b.reminders().fire().fired()).as("the new reminder fires once too")
                .containsExactly(new ReviewReminders.Due("bob", again, 1));

        assertThat(b.approve("bob")).isEqualTo(1);
        assertThat(b.review("bob").remindLater()).as("accepting removes it").isEmpty();
        ReviewReminders.Check after = b.reminders().fire();
        assertThat(after.due()).isEmpty();
        assertThat(after.fired()).isEmpty();
        assertThat(after.next()).isEmpty();
        assertThatThrownBy(() -> b.remindLater("bob", Duration.ofDays(1))).isInstanceOf(ServiceException.class)
                .hasMessageContaining("no key change waiting for review");
        assertThat(b.reviews()).as("nothing waits any more").isEmpty();
    }

    @Test
    void aReminderOfAContactReviewedMeanwhileNeverFiresAndIsRemoved() throws Exception {
        Messenger a = heldForReview();
        a.remindLater("bob", Duration.ofHours(2));
        assertThat(a.reviews()).singleElement().satisfies(r -> {
            assertThat(r.contact().handle()).isEqualTo("bob");
            assertThat(r.held()).hasSize(1);
        });
        // bob is verified again by comparing safety numbers (his account key never changed)
        a.keys().verifyDigits(bobAtAlice(), a.keys().safetyNumber(bobAtAlice()).displayable());
        assertThat(bobAtAlice().verification()).isEqualTo(VerificationState.VERIFIED);
        clock.advance(Duration.ofHours(3));

        ReviewReminders.Check check = a.reminders().fire();
        assertThat(check.due()).isEmpty();
        assertThat(check.fired()).isEmpty();
        assertThat(a.review("bob").remindLater()).as("removed").isEmpty();
    }

    @Test
    void aReminderForSomeoneWhoIsNotAContactIsRefused() throws Exception {
        Messenger a = alice.online();
        assertThatThrownBy(() -> a.remindLater("nobody", Duration.ofDays(1)))
                .isInstanceOf(UnknownContactException.class);
        assertThat(a.reminders().due()).isEmpty();
    }
}
