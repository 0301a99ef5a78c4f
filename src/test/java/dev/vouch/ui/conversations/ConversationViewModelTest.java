package dev.vouch.ui.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.search.SearchService;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long conversation opens with one page and grows a page at a time from the newest back, in
 * order, each message once, with a synchronous executor; a message that cannot be stored goes
 * back to the composer.
 */
class ConversationViewModelTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";
    static final int MESSAGES = 2_050;

    @TempDir
    Path dir;

    @Test
    void opensWithTheNewestPageAndLoadsOlderPagesInOrderUntilTheFirstMessage() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", PASSPHRASE, relay.invite());
        }
        try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
            store.unlock(PASSPHRASE.toCharArray());
            long conversation = store.conversations().open("bob");
            List<MessageDao.NewMessage> history = new ArrayList<>();
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < MESSAGES; i++) {
                Instant at = start.plusSeconds(i);
                MessageBody body = MessageBody.text(i % 2 == 0 ? Direction.INCOMING : Direction.OUTGOING,
                        i % 2 == 0 ? "bob" : "alice", 1, at, at, "message " + i);
                history.add(new MessageDao.NewMessage(conversation, ("m" + i).getBytes(StandardCharsets.UTF_8),
                        i % 2 == 0 ? MessageStatus.UNREAD : MessageStatus.DELIVERED, body));
            }
            store.messages().insertAll(history);

            try (Session session = Session.open(store, Messenger.Options.defaults());
                 SearchService search = SearchService.attach(store, Runnable::run)) {
                ConversationsViewModel list = new ConversationsViewModel(session, UiExecutors.synchronous(), search);
                list.refresh();
                assertThat(list.conversations()).singleElement().satisfies(row -> {
                    assertThat(row.peer()).isEqualTo("bob");
                    assertThat(row.unread()).isEqualTo(MESSAGES / 2);
                    assertThat(row.preview()).as("the newest message, ours").isEqualTo("You: message " + (MESSAGES - 1));
                });
                list.select(list.conversations().get(0));
                ConversationViewModel open = list.openProperty().get();
                assertThat(open.messages()).hasSize(ConversationViewModel.PAGE);
                assertThat(open.messages().get(ConversationViewModel.PAGE - 1).text()).isEqualTo("message " + (MESSAGES - 1));
                assertThat(open.messages().get(0).text()).isEqualTo("message " + (MESSAGES - ConversationViewModel.PAGE));
                assertThat(list.conversations().get(0).unread()).as("opening the conversation reads it").isZero();
                assertThat(store.messages().withStatus(MessageStatus.UNREAD, conversation, MESSAGES)).isEmpty();

                int pages = 1;
                while (!open.exhausted()) {
                    open.loadOlder();
                    pages++;
                    assertThat(pages).isLessThan(100);
                }
                assertThat(pages).isEqualTo((MESSAGES + ConversationViewModel.PAGE - 1) / ConversationViewModel.PAGE);
                assertThat(open.messages()).extracting(MessageRow::text).containsExactlyElementsOf(
                        LongStream.range(0, MESSAGES).mapToObj(i -> "message " + i).toList());
                assertThat(open.messages()).filteredOn(MessageRow::outgoing).allSatisfy(m ->
                        assertThat(m.statusText()).isEqualTo("delivered"));
                assertThat(store.messages().withStatus(MessageStatus.UNREAD, conversation, MESSAGES)).isEmpty();

                // A message that cannot even be stored (bob is not a contact here) goes back to the composer.
                open.draftProperty().set("are you there?");
                open.send();
                assertThat(open.draftProperty().get()).isEqualTo("are you there?");
                assertThat(open.problemProperty().get()).startsWith("Not sent: ").contains("not among your contacts");
                assertThat(open.messages()).hasSize(MESSAGES);
                list.dispose();
            }
        }
    }
}
