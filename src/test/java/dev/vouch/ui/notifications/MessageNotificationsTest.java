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
    void anUnknownStoredChoiceFallsBackToSenderOnly() {
        assertThat(NotificationContent.parse("everything")).isEqualTo(NotificationContent.SENDER_ONLY);
        assertThat(NotificationContent.parse("sender_and_text")).isEqualTo(NotificationContent.SENDER_AND_TEXT);
    }
}
