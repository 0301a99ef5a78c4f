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
 * back to the composer. A search hit opens with the page around it and grows both ways.
 */
class ConversationViewModelTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";
    static final int MESSAGES = 2_050;

    @TempDir
    Path dir;

    /** A registered profile for alice, offline, with {@link #MESSAGES} from and to bob: even ones bob's, unread. */
    ProfileStore aliceWithHistory() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", PASSPHRASE, relay.invite());
        }
        ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC());
        store.unlock(PASSPHRASE.toCharArray());
        long conversation = store.conversations().open("bob");
        List<MessageDao.NewMessage> history = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            history.add(message(conversation, i, "message " + i));
        }
        store.messages().insertAll(history);
        return store;
    }

    static MessageDao.NewMessage message(long conversation, int i, String text) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        MessageBody body = MessageBody.text(i % 2 == 0 ? Direction.INCOMING : Direction.OUTGOING,
                i % 2 == 0 ? "bob" : "alice", 1, at, at, text);
        return new MessageDao.NewMessage(conversation, ("m" + i).getBytes(StandardCharsets.UTF_8),
                i % 2 == 0 ? MessageStatus.UNREAD : MessageStatus.DELIVERED, body);
    }

    static List<String> texts(int from, int to) {
        return LongStream.range(from, to).mapToObj(i -> "message " + i).toList();
    }

    @Test
    void opensWithTheNewestPageAndLoadsOlderPagesInOrderUntilTheFirstMessage() throws Exception {
        try (ProfileStore store = aliceWithHistory()) {
            long conversation = store.conversations().find("bob").orElseThrow();

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
                assertThat(open.pagesRead()).isEqualTo(1);
                assertThat(open.atNewest()).isTrue();
                assertThat(open.target()).isEqualTo(-1);
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
                assertThat(open.messages()).extracting(MessageRow::text).containsExactlyElementsOf(texts(0, MESSAGES));
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

    @Test
    void aSearchHitOpensWithOnePageAroundItAndPagesDownToTheNewestKeepingWhatArrivedMeanwhile() throws Exception {
        try (ProfileStore store = aliceWithHistory()) {
            long conversation = store.conversations().find("bob").orElseThrow();
            try (Session session = Session.open(store, Messenger.Options.defaults());
                 SearchService search = SearchService.attach(store, Runnable::run)) {
                search.awaitReady(java.time.Duration.ofSeconds(30));
                ConversationsViewModel list = new ConversationsViewModel(session, UiExecutors.synchronous(), search);
                list.refresh();
                list.queryProperty().set("message 300");
                list.search();
                assertThat(list.results()).singleElement().satisfies(r -> assertThat(r.excerpt()).isEqualTo("message 300"));
                SearchRow hit = list.results().get(0);

                list.openResult(hit);
                ConversationViewModel open = list.openProperty().get();
                assertThat(open.target()).isEqualTo(hit.messageId());
                assertThat(open.pagesRead()).as("one page read, around the hit").isEqualTo(1);
                assertThat(open.messages()).extracting(MessageRow::text).containsExactlyElementsOf(texts(250, 350));
                assertThat(open.messages().get(ConversationViewModel.PAGE / 2).id()).isEqualTo(hit.messageId());
                assertThat(open.atNewest()).isFalse();
                assertThat(open.exhausted()).isFalse();
                assertThat(list.queryProperty().get()).as("the search stays").isEqualTo("message 300");
                assertThat(list.results()).hasSize(1);
                assertThat(list.conversations().get(0).unread()).as("opening the conversation reads it").isZero();

                // A message arrives while the user reads far above the newest: the list does not grow at its end
                store.messages().insert(message(conversation, MESSAGES, "arrived while reading the past"));
                assertThat(open.messages()).hasSize(ConversationViewModel.PAGE);
                assertThat(open.messages().get(ConversationViewModel.PAGE - 1).text()).isEqualTo("message 349");
                list.refresh();
                assertThat(list.conversations().get(0).unread()).as("not shown, so not read").isEqualTo(1);

                // ... and is there when the user scrolls down to the end.
                int pages = 1;
                while (!open.atNewest()) {
                    open.loadNewer();
                    pages++;
                    assertThat(pages).isLessThan(100);
                }
                assertThat(open.pagesRead()).isEqualTo(pages);
                assertThat(pages).as("the page around, then 1,701 newer messages").isEqualTo(1 + 18);
                List<String> expected = new ArrayList<>(texts(250, MESSAGES));
                expected.add("arrived while reading the past");
                assertThat(open.messages()).extracting(MessageRow::text).containsExactlyElementsOf(expected);
                list.refresh();
                assertThat(list.conversations().get(0).unread()).isZero();

                // Once at the newest, a new message shows at once; older pages still load above.
                store.messages().insert(message(conversation, MESSAGES + 1, "and one more"));
                assertThat(open.messages().get(open.messages().size() - 1).text()).isEqualTo("and one more");
                open.loadOlder();
                assertThat(open.messages().get(0).text()).isEqualTo("message 150");

                // A hit in the conversation already open opens there again, at the hit.
                list.openResult(hit);
                assertThat(list.openProperty().get()).isNotSameAs(open);
                assertThat(list.openProperty().get().messages()).extracting(MessageRow::text)
                        .containsExactlyElementsOf(texts(250, 350));
                list.dispose();
            }
        }
    }

    @Test
    void aHitWhoseMessageOrConversationIsGoneSaysSoInALine() throws Exception {
        try (ProfileStore store = aliceWithHistory()) {
            long conversation = store.conversations().find("bob").orElseThrow();
            try (Session session = Session.open(store, Messenger.Options.defaults());
                 SearchService search = SearchService.attach(store, Runnable::run)) {
                ConversationsViewModel list = new ConversationsViewModel(session, UiExecutors.synchronous(), search);
                list.openResult(new SearchRow(9_999_999, conversation, "bob", "gone"));
                ConversationViewModel open = list.openProperty().get();
                assertThat(open.problemProperty().get())
                        .isEqualTo("The message you searched for is no longer in this conversation; here are the newest.");
                assertThat(open.target()).isEqualTo(-1);
                assertThat(open.atNewest()).isTrue();
                assertThat(open.pagesRead()).isEqualTo(1);
                assertThat(open.messages()).extracting(MessageRow::text)
                        .containsExactlyElementsOf(texts(MESSAGES - ConversationViewModel.PAGE, MESSAGES));

                list.openResult(new SearchRow(1, conversation + 4242, "nobody", "gone"));
                ConversationViewModel gone = list.openProperty().get();
                assertThat(gone.problemProperty().get()).isEqualTo("This conversation is no longer on this computer.");
                assertThat(gone.messages()).isEmpty();
                gone.loadNewer();
                gone.loadOlder();
                assertThat(gone.messages()).isEmpty();
                assertThat(gone.pagesRead()).isEqualTo(1);
                list.dispose();
            }
        }
    }
}
