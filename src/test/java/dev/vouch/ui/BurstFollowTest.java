package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.conversations.ConversationRow;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;

/**
 * A thousand messages arriving one by one while the user reads the newest: the list follows them
 * to the last, batch after batch, however the batches fall between layouts; a user who scrolled up
 * to read is left where they are.
 */
class BurstFollowTest extends DesktopTest {
    static final int SEEDED = 300;
    static final int BURST = 1_000;

    @Test
    void aUserAtTheNewestFollowsAThousandMessagesToTheLastAndOneReadingAboveStaysPut() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", LongConversationTest.PASSPHRASE, relay.invite());
        }
        long conversation;
        try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
            store.unlock(LongConversationTest.PASSPHRASE.toCharArray());
            conversation = store.conversations().open("bob");
            List<MessageDao.NewMessage> seeded = new ArrayList<>();
            for (int i = 0; i < SEEDED; i++) {
                // rows of many heights, as real conversations have: the list estimates the ones it has not measured
                seeded.add(message(conversation, "earlier message " + i
                        + " and a few words more about the weather".repeat(i % 4 * 3)
                        + "\nanother line".repeat(i % 3), MessageStatus.READ));
            }
            store.messages().insertAll(seeded);
        }

        VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
        Desktops.unlock(robot, alice, LongConversationTest.PASSPHRASE);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");
        Desktops.await("the conversation listed", () -> list.getItems().size() == 1);
        robot.interact(() -> list.getSelectionModel().select(0));
        ListView<MessageRow> messages = Desktops.find(alice, "messages");
        Desktops.await("the newest in view", () -> messages.getItems() != null && !messages.getItems().isEmpty()
                && last(messages).startsWith("earlier message " + (SEEDED - 1))
                && LongConversationTest.lastShown(messages) == messages.getItems().size() - 1);

        // stored one by one through the app's own store, as the inbox stores what the relay delivers
        ProfileStore store = alice.viewModel().store();
        for (int i = 0; i < BURST; i++) {
            store.messages().insert(message(conversation, "burst message " + i, MessageStatus.UNREAD));
        }
        Desktops.await("the burst's last message in view", () -> last(messages).equals("burst message " + (BURST - 1))
                && LongConversationTest.lastShown(messages) == messages.getItems().size() - 1,
                () -> messages.getItems().size() + " loaded, cell " + LongConversationTest.lastShown(messages)
                        + " shown last");

        // scrolled up to read: what arrives now waits below
        robot.interact(() -> messages.scrollTo(messages.getItems().size() - 60));
        Desktops.await("scrolled up", () -> LongConversationTest.lastShown(messages) < messages.getItems().size() - 30);
        AtomicInteger first = new AtomicInteger();
        robot.interact(() -> first.set(LongConversationTest.firstShown(messages)));
        for (int i = 0; i < 50; i++) {
            store.messages().insert(message(conversation, "later message " + i, MessageStatus.UNREAD));
        }
        Desktops.await("the later messages loaded", () -> last(messages).equals("later message 49"));
        robot.sleep(300);
        AtomicInteger firstAfter = new AtomicInteger();
        robot.interact(() -> firstAfter.set(LongConversationTest.firstShown(messages)));
        assertThat(firstAfter.get()).as("the row the reader looks at stays at the top").isEqualTo(first.get());
    }

    private static String last(ListView<MessageRow> messages) {
        return messages.getItems() == null || messages.getItems().isEmpty() ? ""
                : messages.getItems().get(messages.getItems().size() - 1).text();
    }

    private static MessageDao.NewMessage message(long conversation, String text, MessageStatus status) {
        Instant now = Instant.now();
        return new MessageDao.NewMessage(conversation, text.getBytes(StandardCharsets.UTF_8), status,
                MessageBody.text(Direction.INCOMING, "bob", 1, now, now, text));
    }
}
