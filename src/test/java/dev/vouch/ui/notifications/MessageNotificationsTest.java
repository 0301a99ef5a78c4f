package dev.vouch.ui.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.ui.common.NotificationContent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a notification shows under each setting: the text only when chosen. */
class MessageNotificationsTest {
    @Test
    void showsTheTextOnlyWhenChosen() {
        Optional<String> text = Optional.of("meet at the  north gate\nat nine");
        assertThat(MessageNotifications.render(NotificationContent.SENDER_ONLY, "bob", text))
                .containsExactly("Vouch", "New message from bob");
        assertThat(MessageNotifications.render(NotificationContent.NOTHING, "bob", text))
                .containsExactly("Vouch", "New message");
        assertThat(MessageNotifications.render(NotificationContent.SENDER_AND_TEXT, "bob", text))
                .containsExactly("bob", "meet at the north gate at nine");
        assertThat(MessageNotifications.render(NotificationContent.SENDER_AND_TEXT, "bob", Optional.of("x".repeat(500)))[1])
                .hasSize(MessageNotifications.MAX_TEXT).endsWith("…");
        assertThat(String.join(" ", MessageNotifications.render(NotificationContent.SENDER_AND_TEXT, "bob",
                Optional.empty()))).contains("could not be read");
    }

    @Test
    void notifiesUnlessTheConversationIsInSightOrNotificationsAreOff() {
        assertThat(MessageNotifications.notifies(true, true, true, Optional.of("bob"), "bob"))
                .as("bob's conversation open in the focused window").isFalse();
        assertThat(MessageNotifications.notifies(true, true, false, Optional.of("bob"), "bob"))
                .as("open, but the window is in the background").isTrue();
        assertThat(MessageNotifications.notifies(true, true, true, Optional.of("carol"), "bob"))
                .as("another conversation open").isTrue();
        assertThat(MessageNotifications.notifies(true, true, true, Optional.empty(), "bob")).isTrue();
        assertThat(MessageNotifications.notifies(false, true, false, Optional.empty(), "bob")).as("turned off").isFalse();
        assertThat(MessageNotifications.notifies(true, false, false, Optional.empty(), "bob"))
                .as("a copy of what I sent").isFalse();
    }

    @Test
    void anUnknownStoredChoiceFallsBackToSenderOnly() {
        assertThat(NotificationContent.parse("everything")).isEqualTo(NotificationContent.SENDER_ONLY);
        assertThat(NotificationContent.parse("sender_and_text")).isEqualTo(NotificationContent.SENDER_AND_TEXT);
    }
}
