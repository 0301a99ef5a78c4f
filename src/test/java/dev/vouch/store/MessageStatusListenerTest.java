package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery-state listener the app's conversation view relies on: told after commit, never about a rollback. */
class MessageStatusListenerTest {
    @TempDir
    Path dir;

    record Change(long id, MessageStatus status) {
    }

    @Test
    void isToldOfCommittedStatusChangesInOrderAndNotOfRolledBackOnes() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, "a passphrase".toCharArray(), ProfileStoreTest.FAST,
                Clock.systemUTC())) {
            long conversation = store.conversations().open("bob");
            Instant t = Instant.parse("2026-11-27T10:00:00Z");
            long id = store.messages().insert(new MessageDao.NewMessage(conversation,
                    "uid".getBytes(StandardCharsets.UTF_8), MessageStatus.QUEUED,
                    MessageBody.text(Direction.OUTGOING, "alice", 1, t, t, "hello"))).orElseThrow();
            List<Change> seen = new ArrayList<>();
            MessageDao.StatusListener listener = (messageId, status) -> seen.add(new Change(messageId, status));
            store.messages().addStatusListener(listener);

            store.messages().updateStatus(id, MessageStatus.SENT);
            assertThatThrownBy(() -> store.context().database().transaction(connection -> {
                store.messages().updateStatus(id, MessageStatus.FAILED);
                assertThat(seen).as("not before the commit").hasSize(1);
                throw new IllegalStateException("roll back");
            })).hasMessageContaining("roll back");
            store.messages().updateStatus(id, MessageStatus.DELIVERED);
            store.messages().updateStatus(id + 1000, MessageStatus.DELIVERED);

            assertThat(seen).containsExactly(new Change(id, MessageStatus.SENT), new Change(id, MessageStatus.DELIVERED));
            assertThat(store.messages().get(id).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);

            store.messages().removeStatusListener(listener);
            store.messages().updateStatus(id, MessageStatus.FAILED);
            assertThat(seen).hasSize(2);
        }
    }
}
