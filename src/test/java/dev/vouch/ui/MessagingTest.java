package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.conversations.ConversationRow;
import dev.vouch.ui.conversations.ConversationViewModel;
import dev.vouch.ui.conversations.ConversationsView;
import dev.vouch.ui.conversations.SearchRow;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * Two people, two windows, one real relay over TLS on loopback: alice adds bob and writes (Enter
 * sends), bob sees the conversation with an unread count, opens it and answers on two lines
 * (Shift+Enter), alice's message goes queued, sent, delivered; search finds it; and when the relay
 * goes away mid-conversation the message is kept, shown as queued, the window stays usable, and
 * once the relay is back the message goes out by itself and reaches bob once.
 */
class MessagingTest extends DesktopTest {
    static final String ALICE = "copper lantern orchard ninety 2";
    static final String BOB = "marble whistle harbour sixty 8";

    private static String storeState(VouchDesktop desktop) {
        try {
            var store = desktop.viewModel().sessionProperty().get().store();
            return "outbox " + store.outbox().size() + ", queued " + store.messages().withStatus(MessageStatus.QUEUED, 0, 10)
                    .size() + ", sent " + store.messages().withStatus(MessageStatus.SENT, 0, 10).size();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private RelayServer relay(int port) throws Exception {
        return RelayServer.start(new RelayServer.Config("127.0.0.1", port, dir.resolve("relay"), Clock.systemUTC(),
                Limits.DEFAULT, RelayEvents.NONE));
    }

    private VouchDesktop unlocked(Path profile, String passphrase, int column) {
        VouchDesktop desktop = Desktops.open(robot, Desktops.config(profile, LocalRelays.NONE), column);
        Desktops.unlock(robot, desktop, passphrase);
        Desktops.await("a connection", () -> Desktops.<Label>find(desktop, "connection").getText().equals("Connected"));
        return desktop;
    }

    private static ConversationViewModel open(VouchDesktop desktop) {
        return ((ConversationsView) desktop.stage().getScene().getRoot().lookup("#conversations").getParent().getParent())
                .viewModel().openProperty().get();
    }

    @Test
    void twoPeopleTalkThroughARealRelayAndSeeDeliveryStates() throws Exception {
        RelayServer relay = relay(0);
        int port = relay.port();
        Invite invite = relay.invite("127.0.0.1", Instant.now().plus(Duration.ofDays(1)));
        try {
            Desktops.registered(dir.resolve("alice"), "alice", ALICE, invite);
            Desktops.registered(dir.resolve("bob"), "bob", BOB, invite);
            VouchDesktop alice = unlocked(dir.resolve("alice"), ALICE, 0);
            VouchDesktop bob = unlocked(dir.resolve("bob"), BOB, 1);

            Desktops.type(robot, Desktops.find(alice, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            Desktops.await("bob's conversation open", () -> open(alice) != null && open(alice).peer().equals("bob"));
            TextArea composer = Desktops.find(alice, "composer");
            Desktops.type(robot, composer, "hello bob, lunch at noon?");
            robot.type(KeyCode.ENTER);
            assertThat(composer.getText()).as("Enter sends and empties the composer").isEmpty();
            Desktops.await("alice's message delivered", () -> Desktops.shown(alice).stream().anyMatch(m -> m.outgoing()
                    && m.text().equals("hello bob, lunch at noon?") && m.status() == MessageStatus.DELIVERED));

            // Keyboard: the contact panel, search and add-contact without the mouse.
            robot.press(KeyCode.CONTROL).type(KeyCode.I).release(KeyCode.CONTROL);
            Desktops.await("the contact panel", () -> alice.stage().getScene().lookup("#contactPanel") != null);
            robot.press(KeyCode.CONTROL).type(KeyCode.I).release(KeyCode.CONTROL);
            Desktops.await("the contact panel closed", () -> alice.stage().getScene().lookup("#contactPanel") == null);
            robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
            Desktops.await("search focused", () -> Desktops.find(alice, "search").isFocused());
            robot.press(KeyCode.CONTROL).type(KeyCode.N).release(KeyCode.CONTROL);
            Desktops.await("add-contact focused", () -> Desktops.find(alice, "newContact").isFocused());

            ListView<ConversationRow> bobsList = Desktops.find(bob, "conversations");
            Desktops.await("alice in bob's list with one unread", () -> bobsList.getItems().stream()
                    .anyMatch(c -> c.peer().equals("alice") && c.unread() == 1
                            && c.preview().equals("hello bob, lunch at noon?")));
            robot.interact(() -> bobsList.getSelectionModel().select(0));
            Desktops.await("the message in bob's window", () -> Desktops.shown(bob).stream()
                    .anyMatch(m -> !m.outgoing() && m.text().equals("hello bob, lunch at noon?")));
            Desktops.await("the unread count cleared", () -> bobsList.getItems().get(0).unread() == 0);

            TextArea bobsComposer = Desktops.find(bob, "composer");
            Desktops.type(robot, bobsComposer, "yes");
            robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
            robot.write("see you there");
            assertThat(bobsComposer.getText()).as("Shift+Enter starts a new line").isEqualTo("yes\nsee you there");
            robot.type(KeyCode.ENTER);
            Desktops.await("bob's answer in alice's window", () -> Desktops.shown(alice).stream()
                    .anyMatch(m -> !m.outgoing() && m.text().equals("yes\nsee you there")));

            TextField search = Desktops.find(bob, "search");
            Desktops.await("search ready", () -> ((ConversationsView) bobsList.getParent().getParent()).viewModel().searchReady());
            Desktops.type(robot, search, "lunch");
            ListView<SearchRow> results = Desktops.find(bob, "searchResults");
            Desktops.await("a search hit", () -> results.getItems().stream()
                    .anyMatch(r -> r.peer().equals("alice") && r.excerpt().contains("lunch at noon")));

            relay.close();
            Desktops.await("the lost connection shown", () -> !Desktops.<Label>find(alice, "connection").getText()
                    .equals("Connected"));
            Desktops.type(robot, composer, "are you still there?");
            robot.type(KeyCode.ENTER);
            Desktops.await("the message kept and shown as queued", () -> Desktops.shown(alice).stream().anyMatch(m ->
                    m.text().equals("are you still there?") && m.status() == MessageStatus.QUEUED));
            Desktops.await("a plain explanation", () -> Desktops.<Label>find(alice, "conversationProblem").getText()
                    .contains("waits on this computer"));
            Desktops.type(robot, Desktops.find(alice, "search"), "still");
            Desktops.await("the window still answers", () -> Desktops.<ListView<SearchRow>>find(alice, "searchResults")
                    .getItems().stream().anyMatch(r -> r.excerpt().contains("are you still there?")));

            // The relay comes back on its address: the kept message goes out by itself, once.
            relay = relay(port);
            Desktops.await("the kept message delivered", () -> Desktops.shown(alice).stream().anyMatch(m ->
                    m.text().equals("are you still there?") && m.status() == MessageStatus.DELIVERED),
                    () -> "alice " + Desktops.<Label>find(alice, "connection").getText() + " "
                            + Desktops.shown(alice).stream().map(m -> m.text() + "=" + m.status()).toList() + "; bob "
                            + Desktops.<Label>find(bob, "connection").getText() + " "
                            + Desktops.shown(bob).stream().map(m -> m.text() + "=" + m.status()).toList() + "; store: "
                            + storeState(alice));
            Desktops.await("and shown to bob", () -> Desktops.shown(bob).stream()
                    .filter(m -> m.text().equals("are you still there?")).count() == 1);
            assertThat(Desktops.<Label>find(alice, "connection").getText()).isEqualTo("Connected");
            assertThat(Desktops.<Label>find(alice, "conversationProblem").getText()).as("the notice went with it").isEmpty();
        } finally {
            relay.close();
        }
    }
}
