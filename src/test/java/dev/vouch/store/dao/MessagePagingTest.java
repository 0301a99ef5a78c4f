package dev.vouch.store.dao;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages around a message and after a position, on a real profile: bob's 250 messages interleaved
 * with carol's 250 (so ids in a conversation are not contiguous), and dave's 3.
 */
class MessagePagingTest {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    static final int BOB = 250;

    @TempDir
    Path dir;

    ProfileStore store;
    long bob;
    long dave;
    /** Bob's message ids, oldest first. */
    final List<Long> bobs = new ArrayList<>();

    @BeforeEach
    void fill() throws Exception {
        store = ProfileStore.create(dir, "correct horse battery staple".toCharArray(), FAST, Clock.systemUTC());
        bob = store.conversations().open("bob");
        long carol = store.conversations().open("carol");
        dave = store.conversations().open("dave");
        List<MessageDao.NewMessage> all = new ArrayList<>();
        for (int i = 0; i < BOB; i++) {
            all.add(message(bob, "bob " + i));
            all.add(message(carol, "carol " + i));
        }
        for (int i = 0; i < 3; i++) {
            all.add(message(dave, "dave " + i));
        }
        store.messages().insertAll(all);
        for (StoredMessage m : store.messages().newest(bob, BOB)) {
            bobs.add(0, m.id());
        }
        assertThat(bobs).hasSize(BOB);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static MessageDao.NewMessage message(long conversation, String text) {
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        return new MessageDao.NewMessage(conversation, text.getBytes(StandardCharsets.UTF_8), MessageStatus.READ,
                MessageBody.text(Direction.INCOMING, "someone", 1, at, at, text));
    }

    static List<String> texts(List<StoredMessage> messages) {
        return messages.stream().map(m -> m.body().text()).toList();
    }

    static List<String> bobs(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "bob " + i).toList();
    }

    @Test
    void aMessageInTheMiddleHasHalfThePageBeforeItAndTheRestFromIt() throws Exception {
        MessageDao.Window window = store.messages().around(bob, bobs.get(120), 100).orElseThrow();
        assertThat(texts(window.messages())).containsExactlyElementsOf(bobs(70, 170));
        assertThat(window.olderRemain()).isTrue();
        assertThat(window.newerRemain()).isTrue();

        MessageDao.Window odd = store.messages().around(bob, bobs.get(120), 7).orElseThrow();
        assertThat(texts(odd.messages())).containsExactlyElementsOf(bobs(117, 124));
    }

    @Test
    void theOldestMessageGetsAFullPageAfterIt() throws Exception {
        MessageDao.Window window = store.messages().around(bob, bobs.get(0), 100).orElseThrow();
        assertThat(texts(window.messages())).containsExactlyElementsOf(bobs(0, 100));
        assertThat(window.olderRemain()).isFalse();
        assertThat(window.newerRemain()).isTrue();

        MessageDao.Window second = store.messages().around(bob, bobs.get(10), 100).orElseThrow();
        assertThat(texts(second.messages())).as("ten before it, and more after to fill the page")
                .containsExactlyElementsOf(bobs(0, 100));
        assertThat(second.olderRemain()).isFalse();
    }

    @Test
    void theNewestMessageGetsAFullPageBeforeIt() throws Exception {
        MessageDao.Window window = store.messages().around(bob, bobs.get(BOB - 1), 100).orElseThrow();
        assertThat(texts(window.messages())).containsExactlyElementsOf(bobs(BOB - 100, BOB));
        assertThat(window.olderRemain()).isTrue();
        assertThat(window.newerRemain()).isFalse();

        MessageDao.Window near = store.messages().around(bob, bobs.get(BOB - 10), 100).orElseThrow();
        assertThat(texts(near.messages())).containsExactlyElementsOf(bobs(BOB - 100, BOB));
        assertThat(near.newerRemain()).isFalse();
    }

    @Test
    void aConversationShorterThanAPageComesWhole() throws Exception {
        List<Long> daves = store.messages().newest(dave, 10).stream().map(StoredMessage::id).sorted().toList();
        for (long id : daves) {
            MessageDao.Window window = store.messages().around(dave, id, 100).orElseThrow();
            assertThat(texts(window.messages())).containsExactly("dave 0", "dave 1", "dave 2");
            assertThat(window.olderRemain()).isFalse();
            assertThat(window.newerRemain()).isFalse();
        }
    }

    @Test
    void aMessageOfAnotherConversationOrNoMessageGivesNoPage() throws Exception {
        long carolsMessage = bobs.get(5) + 1;
        assertThat(store.messages().get(carolsMessage).orElseThrow().body().text()).isEqualTo("carol 5");
        assertThat(store.messages().around(bob, carolsMessage, 100)).isEmpty();
        assertThat(store.messages().around(bob, 1_000_000, 100)).isEmpty();
        assertThat(store.messages().around(4242, bobs.get(5), 100)).isEmpty();
    }

    @Test
    void pagesAfterAPositionReachTheNewestInOrder() throws Exception {
        MessageDao.Window window = store.messages().around(bob, bobs.get(20), 10).orElseThrow();
        List<String> seen = new ArrayList<>(texts(window.messages()));
        long last = window.messages().get(window.messages().size() - 1).id();
        int pages = 0;
        while (true) {
            List<StoredMessage> page = store.messages().after(bob, last, 100);
            pages++;
            seen.addAll(texts(page));
            if (page.size() < 100) {
                break;
            }
            last = page.get(page.size() - 1).id();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(bobs(15, BOB));
        assertThat(store.messages().after(bob, bobs.get(BOB - 1), 100)).isEmpty();
        assertThat(texts(store.messages().after(dave, 0, 2))).containsExactly("dave 0", "dave 1");
    }

    @Test
    void everyPagingQueryIsARangeOfTheConversationIndex() throws Exception {
        for (String sql : List.of(MessageDao.OLDER, MessageDao.NEWER, MessageDao.ANY_OLDER, MessageDao.ANY_NEWER)) {
            String plan = store.context().database().read(connection -> {
                StringBuilder out = new StringBuilder();
                try (PreparedStatement st = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                    st.setLong(1, bob);
                    st.setLong(2, bobs.get(100));
                    if (st.getParameterMetaData().getParameterCount() > 2) {
                        st.setInt(3, 100);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.append(rs.getString("detail")).append('\n');
                        }
                    }
                }
                return out.toString();
            });
            assertThat(plan).as(sql)
                    .containsPattern("SEARCH messages USING (COVERING )?INDEX messages_by_conversation"
                            + " \\(conversation_id=\\? AND id[<>]\\?\\)")
                    .doesNotContain("SCAN messages").doesNotContain("TEMP B-TREE");
        }
    }
}
