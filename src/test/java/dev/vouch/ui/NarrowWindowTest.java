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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * A long message in a window narrower than a bubble's widest: the bubble takes the list's width,
 * its text wraps onto more lines and the whole of it shows inside its cell, none cut off.
 */
class NarrowWindowTest extends DesktopTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";
    static final String LONG = ("The quick brown fox jumps over the lazy dog while the lantern in the orchard"
            + " burns copper bright until the seventy bells ring out over the harbour. ").repeat(4)
            + "The last words are here.";

    @Test
    void aLongMessageWrapsToTheWidthOfANarrowListAndShowsWhole() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", PASSPHRASE, relay.invite());
        }
        try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
            store.unlock(PASSPHRASE.toCharArray());
            long conversation = store.conversations().open("bob");
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            store.messages().insertAll(List.of(
                    new MessageDao.NewMessage(conversation, "in".getBytes(StandardCharsets.UTF_8), MessageStatus.READ,
                            MessageBody.text(Direction.INCOMING, "bob", 1, at, at, "short one")),
                    new MessageDao.NewMessage(conversation, "long".getBytes(StandardCharsets.UTF_8),
                            MessageStatus.DELIVERED, MessageBody.text(Direction.OUTGOING, "alice", 1, at, at, LONG))));
        }

        VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
        robot.interact(() -> alice.stage().setWidth(520));
        Desktops.unlock(robot, alice, PASSPHRASE);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");
        Desktops.await("the conversation listed", () -> list.getItems().size() == 1);
        robot.interact(() -> list.getSelectionModel().select(0));
        ListView<MessageRow> messages = Desktops.find(alice, "messages");
        AtomicReference<Label> shown = new AtomicReference<>();
        Desktops.await("the long message shown", () -> {
            shown.set(labelShowing(messages, LONG));
            return shown.get() != null;
        });

        robot.interact(() -> {
            Label label = shown.get();
            Node cell = label;
            while (!(cell instanceof javafx.scene.control.ListCell<?>)) {
                cell = cell.getParent();
            }
            Bounds cellBounds = cell.localToScene(cell.getLayoutBounds());
            Bounds labelBounds = label.localToScene(label.getLayoutBounds());
            Bounds listBounds = messages.localToScene(messages.getLayoutBounds());
            assertThat(listBounds.getWidth()).as("the list is narrower than a bubble's widest").isLessThan(520);
            assertThat(labelBounds.getMaxX()).as("the text ends inside the list").isLessThanOrEqualTo(listBounds.getMaxX());
            assertThat(labelBounds.getMinX()).isGreaterThanOrEqualTo(listBounds.getMinX());
            assertThat(labelBounds.getMaxY()).as("the last line is inside its cell").isLessThanOrEqualTo(cellBounds.getMaxY() + 0.5);
            Text text = (Text) label.lookup(".text");
            assertThat(text.getText()).as("no line cut off or shortened with an ellipsis").isEqualTo(LONG);
            double lineHeight = text.getFont().getSize();
            assertThat(labelBounds.getHeight()).as("wrapped onto several lines").isGreaterThan(4 * lineHeight);
            assertThat(text.getLayoutBounds().getHeight()).as("every line has room in the label")
                    .isLessThanOrEqualTo(label.getHeight() + 0.5);
            // the conversation list shows the long message's preview shortened, not a sideways scroll bar
            assertThat(list.lookupAll(".scroll-bar")).filteredOn(bar -> bar instanceof ScrollBar s
                    && s.getOrientation() == Orientation.HORIZONTAL && treeVisible(s)).isEmpty();
        });
    }

    /** Not the list's hidden cell that only measures rows. */
    private static boolean treeVisible(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** The label of a laid-out message cell showing this text, or null. */
    private static Label labelShowing(ListView<?> list, String text) {
        for (Node node : list.lookupAll(".label")) {
            if (node instanceof Label label && text.equals(label.getText()) && label.getWidth() > 0
                    && label.getScene() != null && treeVisible(label)) {
                return label;
            }
        }
        return null;
    }
}
