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
import dev.vouch.ui.conversations.ConversationViewModel;
import dev.vouch.ui.conversations.ConversationsView;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * A conversation of 100,000 messages in a real window: it opens with one page, and scrolling up
 * loads older pages in the background while the JavaFX thread keeps drawing frames; the longest
 * gap between two frames is measured and printed, and must stay under a second even on a busy,
 * shared test machine (tens of milliseconds on an idle one).
 */
class LongConversationTest extends DesktopTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";
    static final int MESSAGES = 100_000;
    static final int PAGES_SCROLLED = 10;

    @Test
    void aHundredThousandMessagesOpenAtOnceAndScrollUpPageByPageWithoutFreezingTheWindow() throws Exception {
        VouchDesktop alice = openSeeded(robot, dir);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");

        ListView<MessageRow> messages = Desktops.find(alice, "messages");
        long openStart = System.nanoTime();
        robot.interact(() -> list.getSelectionModel().select(0));
        Desktops.await("the newest page", () -> messages.getItems() != null && messages.getItems().size() >= 100
                && messages.getItems().get(messages.getItems().size() - 1).text().equals("message number 99999"));
        long openMillis = (System.nanoTime() - openStart) / 1_000_000;
        Desktops.await("the newest message in view", () -> lastShown(messages) == messages.getItems().size() - 1,
                () -> "cell " + lastShown(messages) + " of " + messages.getItems().size() + " shown last");
        robot.sleep(500);
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger pagesRead = new java.util.concurrent.atomic.AtomicInteger();
        ConversationsView view = (ConversationsView) list.getParent().getParent();
        robot.interact(() -> {
            opened.set(messages.getItems().size());
            pagesRead.set(view.viewModel().openProperty().get().pagesRead());
        });
        assertThat(opened.get()).as("opening asks for no page the user did not scroll to")
                .isEqualTo(ConversationViewModel.PAGE);
        assertThat(pagesRead.get()).as("one page read").isEqualTo(1);

        AtomicLong last = new AtomicLong();
        AtomicLong longestGap = new AtomicLong();
        AnimationTimer frames = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long previous = last.getAndSet(now);
                if (previous != 0) {
                    longestGap.accumulateAndGet(now - previous, Math::max);
                }
            }
        };
        robot.interact(frames::start);
        long scrollStart = System.nanoTime();
        for (int page = 1; page <= PAGES_SCROLLED; page++) {
            int expected = 100 * (page + 1);
            robot.interact(() -> messages.scrollTo(0));
            Desktops.await("page " + page + " loaded", () -> messages.getItems().size() >= expected);
        }
        long scrollMillis = (System.nanoTime() - scrollStart) / 1_000_000;
        robot.interact(frames::stop);
        long gapMillis = longestGap.get() / 1_000_000;
        System.out.printf("long conversation: opened in %d ms; %d older pages by scrolling in %d ms;"
                + " longest gap between frames %d ms%n", openMillis, PAGES_SCROLLED, scrollMillis, gapMillis);

        int afterScrolling = messages.getItems().size();
        robot.sleep(1500);
        List<MessageRow> loaded = List.copyOf(messages.getItems());
        assertThat(loaded).as("nothing loads while the user does not scroll").hasSize(afterScrolling);
        assertThat(loaded.size()).as("a few pages per scroll to the top, not the whole conversation")
                .isBetween(100 * (PAGES_SCROLLED + 1), 100 * (3 * PAGES_SCROLLED + 1));
        for (int i = 0; i < loaded.size(); i++) {
            assertThat(loaded.get(i).text()).startsWith("message number " + (MESSAGES - loaded.size() + i));
        }
        assertThat(gapMillis).as("the window kept drawing while pages loaded").isLessThan(1000);
    }

    /**
     * Alice's profile, registered and {@linkplain #seed seeded}, unlocked in a window of the app
     * with its one conversation listed. The app is offline (the relay is gone): the conversation is
     * all local.
     */
    static VouchDesktop openSeeded(FxRobot robot, Path dir) throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", PASSPHRASE, relay.invite());
        }
        long insertStart = System.nanoTime();
        seed(dir.resolve("alice"));
        System.out.printf("long conversation: %,d messages stored in %d ms%n", MESSAGES,
                (System.nanoTime() - insertStart) / 1_000_000);
        VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
        Desktops.unlock(robot, alice, PASSPHRASE);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");
        Desktops.await("the conversation listed", () -> list.getItems().size() == 1);
        return alice;
    }

    /** The word only message {@link #UNIQUE_AT} holds. */
    static final String UNIQUE = "periwinkle";
    static final int UNIQUE_AT = 20_000;

    /**
     * Stores {@link #MESSAGES} messages with bob in alice's profile, ten thousand per transaction:
     * "message number N", a second line in every seventh, and the word {@link #UNIQUE} in one.
     */
    static void seed(java.nio.file.Path profile) throws Exception {
        try (ProfileStore store = ProfileStore.open(profile, Clock.systemUTC())) {
            store.unlock(PASSPHRASE.toCharArray());
            long conversation = store.conversations().open("bob");
            Instant start = Instant.parse("2025-01-01T00:00:00Z");
            for (int from = 0; from < MESSAGES; from += 10_000) {
                List<MessageDao.NewMessage> batch = new ArrayList<>(10_000);
                for (int i = from; i < from + 10_000; i++) {
                    Instant at = start.plusSeconds(60L * i);
                    boolean ours = i % 3 == 0;
                    batch.add(new MessageDao.NewMessage(conversation, ("m" + i).getBytes(StandardCharsets.UTF_8),
                            ours ? MessageStatus.DELIVERED : MessageStatus.READ, MessageBody.text(
                            ours ? Direction.OUTGOING : Direction.INCOMING, ours ? "alice" : "bob", 1, at, at,
                            "message number " + i + (i == UNIQUE_AT ? " about the " + UNIQUE + " sofa" : "")
                                    + (i % 7 == 0 ? "\nwith a second line" : ""))));
                }
                store.messages().insertAll(batch);
            }
        }
    }

    /** The index of the first row the list has laid out, or -1. */
    static int firstShown(ListView<?> list) {
        if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            IndexedCell<?> cell = flow.getFirstVisibleCell();
            return cell == null || cell.isEmpty() ? -1 : cell.getIndex();
        }
        return -1;
    }

    /** The index of the last row the list has laid out, or -1. */
    static int lastShown(ListView<?> list) {
        if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            IndexedCell<?> cell = flow.getLastVisibleCell();
            return cell == null || cell.isEmpty() ? -1 : cell.getIndex();
        }
        return -1;
    }
}
