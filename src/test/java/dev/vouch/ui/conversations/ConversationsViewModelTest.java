package dev.vouch.ui.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.ConversationSummary;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation list follows new messages by reading only the conversations they touched: after
 * every insert, into the open conversation, another one or one not listed yet, it must be exactly
 * what reading the whole list gives (order, previews, unread counts).
 */
class ConversationsViewModelTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";
    private static final List<String> PEERS = List.of("bob", "carol", "dave", "erin", "frank", "grace");

    @TempDir
    Path dir;

    @Test
    void theListReadAgainRowByRowIsAlwaysTheWholeListRead() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", PASSPHRASE, relay.invite());
        }
        try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
            store.unlock(PASSPHRASE.toCharArray());
            for (String peer : PEERS.subList(0, 3)) {
                insert(store, peer, "hello from " + peer);
            }
            try (Session session = Session.open(store, Messenger.Options.defaults());
                 SearchService search = SearchService.attach(store, Runnable::run)) {
                ConversationsViewModel list = new ConversationsViewModel(session, UiExecutors.synchronous(), search);
                list.refresh();
                assertThat(list.conversations()).extracting(ConversationRow::peer).containsExactly("dave", "carol", "bob");
                list.select(list.conversations().get(1));
                assertThat(list.openProperty().get().peer()).isEqualTo("carol");

                insert(store, "bob", "bob again");
                assertThat(list.conversations().get(0)).isEqualTo(new ConversationRow(
                        store.conversations().find("bob").orElseThrow(), "bob", "bob again", 2));
                assertSameAsAFullRead(list, store);

                insert(store, "carol", "to the open one");
                assertThat(list.conversations().get(0).peer()).isEqualTo("carol");
                assertThat(list.conversations().get(0).unread()).as("read where it is open").isZero();
                assertSameAsAFullRead(list, store);

                insert(store, "erin", "a new conversation");
                assertThat(list.conversations().get(0).peer()).isEqualTo("erin");
                assertSameAsAFullRead(list, store);

                Random random = new Random(42);
                for (int i = 0; i < 60; i++) {
                    List<MessageDao.NewMessage> batch = new ArrayList<>();
                    for (int j = 1 + random.nextInt(3); j > 0; j--) {
                        String peer = PEERS.get(random.nextInt(PEERS.size()));
                        batch.add(message(store, peer, "message " + i + "." + j + " to " + peer));
                    }
                    store.messages().insertAll(batch);
                    assertSameAsAFullRead(list, store);
                }
                list.dispose();
            }
        }
    }

    private static void assertSameAsAFullRead(ConversationsViewModel list, ProfileStore store) throws Exception {
        List<ConversationRow> expected = new ArrayList<>();
        for (ConversationSummary s : store.conversations().list()) {
            expected.add(new ConversationRow(s.id(), s.peer(), s.lastMessage()
                    .map(ConversationsViewModel::preview).orElse("No messages yet"), s.unread()));
        }
        assertThat(list.conversations()).containsExactlyElementsOf(expected);
    }

    private static void insert(ProfileStore store, String peer, String text) throws Exception {
        store.messages().insert(message(store, peer, text));
    }

    private static MessageDao.NewMessage message(ProfileStore store, String peer, String text) throws Exception {
        long conversation = store.conversations().open(peer);
        Instant at = Instant.now();
        return new MessageDao.NewMessage(conversation, (peer + text).getBytes(StandardCharsets.UTF_8),
                MessageStatus.UNREAD, MessageBody.text(Direction.INCOMING, peer, 1, at, at, text));
    }
}
