package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.ui.common.Theme;
import dev.vouch.ui.conversations.ConversationRow;
import dev.vouch.ui.conversations.ConversationViewModel;
import dev.vouch.ui.conversations.ConversationsView;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.conversations.SearchRow;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Paint;
import org.junit.jupiter.api.Test;

/**
 * A search hit in an old message of a 100,000-message conversation, chosen with the keyboard (then
 * with the mouse), opens the conversation at that message: in view, highlighted for a moment, one
 * page read; a message arriving meanwhile does not move the list; scrolling down reads newer pages.
 * At the newest, a new message is followed only by a user who is at the bottom.
 */
class SearchJumpTest extends DesktopTest {
    static final PseudoClass HIT = PseudoClass.getPseudoClass("search-hit");

    @Test
    void enterOnAHitOpensTheConversationAtTheHitWithOnePageRead() throws Exception {
        VouchDesktop alice = LongConversationTest.openSeeded(robot, dir);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");
        ConversationsView view = (ConversationsView) list.getParent().getParent();
        Desktops.await("search ready", () -> view.viewModel().searchReady());

        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        TextField search = Desktops.find(alice, "search");
        Desktops.await("search focused", search::isFocused);
        robot.write(LongConversationTest.UNIQUE);
        ListView<SearchRow> results = Desktops.find(alice, "searchResults");
        Desktops.await("the hit", () -> results.getItems().size() == 1);
        SearchRow hit = results.getItems().get(0);
        assertThat(hit.excerpt()).contains("number " + LongConversationTest.UNIQUE_AT + " about the");

        robot.type(KeyCode.DOWN);
        Desktops.await("Down moves into the hits", () -> results.isFocused()
                && results.getSelectionModel().getSelectedIndex() == 0);

        // Watched after every layout, so a slow machine cannot miss the few seconds of highlight: the
        // first time the hit shows highlighted, its bubble's color and an ordinary one's in both themes.
        ListView<MessageRow> messages = Desktops.find(alice, "messages");
        AtomicReference<Paint[][]> seen = new AtomicReference<>();
        Runnable watch = () -> {
            if (seen.get() == null && hitShown(messages, hit.messageId(), true)) {
                seen.set(new Paint[][] {colors(messages, hit.messageId(), Theme.LIGHT),
                        colors(messages, hit.messageId(), Theme.DARK)});
                Theme.LIGHT.apply();
            }
        };
        robot.interact(() -> alice.stage().getScene().addPostLayoutPulseListener(watch));
        robot.type(KeyCode.ENTER);
        Desktops.await("the hit in view and highlighted", () -> seen.get() != null,
                () -> "rows " + Desktops.shown(alice).size() + ", first " + firstText(messages));
        robot.interact(() -> alice.stage().getScene().removePostLayoutPulseListener(watch));
        Paint[] light = seen.get()[0];
        Paint[] dark = seen.get()[1];
        assertThat(light).as("a highlighted and an ordinary incoming bubble in view").doesNotContainNull();
        assertThat(light[0]).as("light: highlighted and ordinary bubbles").isNotEqualTo(light[1]);
        assertThat(dark[0]).as("dark: highlighted and ordinary bubbles").isNotEqualTo(dark[1]);
        assertThat(dark[0]).as("the highlight in each theme").isNotEqualTo(light[0]);
        assertThat(hitShown(messages, hit.messageId(), false) || hitShown(messages, hit.messageId(), true))
                .as("the hit in view").isTrue();
        ConversationViewModel open = view.viewModel().openProperty().get();
        assertThat(open.target()).isEqualTo(hit.messageId());
        assertThat(search.getText()).as("the search terms stay").isEqualTo(LongConversationTest.UNIQUE);
        assertThat(results.getItems()).containsExactly(hit);
        robot.sleep(500);
        AtomicInteger pages = new AtomicInteger();
        AtomicInteger rows = new AtomicInteger();
        robot.interact(() -> {
            pages.set(open.pagesRead());
            rows.set(messages.getItems().size());
        });
        assertThat(pages.get()).as("one page read, around the hit").isEqualTo(1);
        assertThat(rows.get()).isEqualTo(ConversationViewModel.PAGE);
        List<MessageRow> page = Desktops.shown(alice);
        for (int i = 0; i < page.size(); i++) {
            assertThat(page.get(i).text()).startsWith("message number "
                    + (LongConversationTest.UNIQUE_AT - ConversationViewModel.PAGE / 2 + i));
        }

        Desktops.await("the highlight fades", () -> hitShown(messages, hit.messageId(), false));
        assertThat(hitShown(messages, hit.messageId(), true)).isFalse();

        // A message arrives while the user reads the past: the list stays where it is.
        AtomicInteger firstBefore = new AtomicInteger();
        robot.interact(() -> firstBefore.set(LongConversationTest.firstShown(messages)));
        Instant now = Instant.now();
        view.viewModel().session().store().messages().insert(new MessageDao.NewMessage(open.conversationId(),
                "late".getBytes(StandardCharsets.UTF_8), MessageStatus.UNREAD,
                MessageBody.text(Direction.INCOMING, "bob", 1, now, now, "news from today")));
        Desktops.await("the list tells of it", () -> list.getItems().get(0).preview().equals("news from today")
                && list.getItems().get(0).unread() == 1);
        robot.sleep(300);
        AtomicInteger firstAfter = new AtomicInteger();
        robot.interact(() -> firstAfter.set(LongConversationTest.firstShown(messages)));
        assertThat(firstAfter.get()).as("the list did not move").isEqualTo(firstBefore.get());
        assertThat(Desktops.shown(alice)).hasSize(ConversationViewModel.PAGE)
                .noneMatch(m -> m.text().equals("news from today"));
        assertThat(hitShown(messages, hit.messageId(), false)).as("the hit still in view").isTrue();

        // Scrolling down reads the next page, in order, without jumping to the newest.
        robot.interact(() -> messages.scrollTo(messages.getItems().size() - 1));
        Desktops.await("a newer page", () -> messages.getItems().size() >= 2 * ConversationViewModel.PAGE);
        robot.sleep(500);
        robot.interact(() -> pages.set(open.pagesRead()));
        assertThat(pages.get()).as("a page per scroll to the end").isBetween(2, 3);
        List<MessageRow> grown = Desktops.shown(alice);
        for (int i = 0; i < grown.size(); i++) {
            assertThat(grown.get(i).text()).startsWith("message number "
                    + (LongConversationTest.UNIQUE_AT - ConversationViewModel.PAGE / 2 + i));
        }
        assertThat(open.atNewest()).isFalse();

        // Escape clears the search and returns to the conversation list.
        Desktops.focus(robot, search);
        robot.type(KeyCode.ESCAPE);
        Desktops.await("the search cleared", () -> search.getText().isEmpty() && !results.isVisible()
                && list.isFocused());

        // The mouse: a click on the hit opens there again, with one page read.
        Desktops.type(robot, search, LongConversationTest.UNIQUE);
        Desktops.await("the hit again", () -> results.getItems().size() == 1);
        Node hitCell = results.lookupAll(".list-cell").stream()
                .filter(c -> c instanceof ListCell<?> cell && hit.equals(cell.getItem())).findFirst().orElseThrow();
        robot.clickOn(hitCell);
        Desktops.await("opened at the hit again", () -> view.viewModel().openProperty().get() != open
                && hitShown(messages, hit.messageId(), true), () -> "open " + view.viewModel().openProperty().get()
                + " (was " + open + "), rows " + Desktops.shown(alice).size() + ", first " + firstText(messages)
                + ", selected " + results.getSelectionModel().getSelectedItem());
        robot.interact(() -> pages.set(view.viewModel().openProperty().get().pagesRead()));
        assertThat(pages.get()).isEqualTo(1);
    }

    @Test
    void aNewMessageMovesTheListOnlyWhenTheUserIsAtTheNewest() throws Exception {
        VouchDesktop alice = LongConversationTest.openSeeded(robot, dir);
        ListView<ConversationRow> list = Desktops.find(alice, "conversations");
        ConversationsView view = (ConversationsView) list.getParent().getParent();
        ListView<MessageRow> messages = Desktops.find(alice, "messages");
        robot.interact(() -> list.getSelectionModel().select(0));
        Desktops.await("the newest message in view", () -> messages.getItems() != null
                && messages.getItems().size() == ConversationViewModel.PAGE
                && LongConversationTest.lastShown(messages) == ConversationViewModel.PAGE - 1);
        long conversation = view.viewModel().openProperty().get().conversationId();

        receive(view, conversation, "first news");
        Desktops.await("followed to the new message", () -> messages.getItems().size() == ConversationViewModel.PAGE + 1
                && LongConversationTest.lastShown(messages) == ConversationViewModel.PAGE);

        robot.interact(() -> messages.scrollTo(ConversationViewModel.PAGE - 40));
        Desktops.await("scrolled up", () -> LongConversationTest.firstShown(messages) == ConversationViewModel.PAGE - 40);
        receive(view, conversation, "second news");
        Desktops.await("the message added", () -> messages.getItems().size() == ConversationViewModel.PAGE + 2);
        robot.sleep(300);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger last = new AtomicInteger();
        robot.interact(() -> {
            first.set(LongConversationTest.firstShown(messages));
            last.set(LongConversationTest.lastShown(messages));
        });
        assertThat(first.get()).as("the list stayed where the user reads").isEqualTo(ConversationViewModel.PAGE - 40);
        assertThat(last.get()).isLessThan(ConversationViewModel.PAGE + 1);
        assertThat(view.viewModel().openProperty().get().pagesRead()).isEqualTo(1);
    }

    static void receive(ConversationsView view, long conversation, String text) throws Exception {
        Instant now = Instant.now();
        view.viewModel().session().store().messages().insert(new MessageDao.NewMessage(conversation,
                text.getBytes(StandardCharsets.UTF_8), MessageStatus.UNREAD,
                MessageBody.text(Direction.INCOMING, "bob", 1, now, now, text)));
    }

    /**
     * In the theme, the background of the message's bubble and of another incoming message's bubble
     * in view (null for one not found).
     */
    static Paint[] colors(ListView<MessageRow> messages, long id, Theme theme) {
        theme.apply();
        messages.getScene().getRoot().applyCss();
        Paint[] out = new Paint[2];
        for (Node node : messages.lookupAll(".message-bubble")) {
            Node cell = node;
            while (cell != null && !(cell instanceof ListCell<?>)) {
                cell = cell.getParent();
            }
            if (cell instanceof ListCell<?> c && c.isVisible() && c.getItem() instanceof MessageRow row
                    && !row.outgoing()) {
                Paint fill = ((Region) node).getBackground().getFills().get(0).getFill();
                out[row.id() == id ? 0 : 1] = fill;
            }
        }
        return out;
    }

    /** Whether the message's row is wholly inside the list's viewport, with its bubble highlighted or not. */
    static boolean hitShown(ListView<MessageRow> messages, long id, boolean highlighted) {
        Bounds viewport = messages.localToScene(messages.getLayoutBounds());
        for (Node node : messages.lookupAll(".message-bubble")) {
            Node cell = node;
            while (cell != null && !(cell instanceof ListCell<?>)) {
                cell = cell.getParent();
            }
            if (cell instanceof ListCell<?> c && c.isVisible() && c.getItem() instanceof MessageRow row
                    && row.id() == id) {
                Bounds bubble = node.localToScene(node.getLayoutBounds());
                if (bubble.getMinY() >= viewport.getMinY() && bubble.getMaxY() <= viewport.getMaxY()
                        && node.getPseudoClassStates().contains(HIT) == highlighted) {
                    return true;
                }
            }
        }
        return false;
    }

    static String firstText(ListView<MessageRow> messages) {
        int first = LongConversationTest.firstShown(messages);
        return first < 0 ? "none" : messages.getItems().get(first).text();
    }
}
