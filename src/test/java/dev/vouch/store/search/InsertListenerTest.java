package dev.vouch.store.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store hooks search relies on: insert listeners fire after commit only, unlock listeners after unlock. */
class InsertListenerTest {
    @TempDir
    Path dir;

    private static NewMessage message(long conversation, int uid, String text) {
        return new NewMessage(conversation, new byte[] {(byte) uid, (byte) (uid >> 8)}, MessageStatus.READ,
                SearchServiceTest.text(text));
    }

    @Test
    void listenersHearOfCommittedInsertsOnlyOncePerTransactionAndInOrder() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, SearchServiceTest.PASSPHRASE, SearchServiceTest.FAST,
                Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            List<List<StoredMessage>> heard = new CopyOnWriteArrayList<>();
            store.messages().addInsertListener(heard::add);

            long one = store.messages().insert(message(c, 1, "one")).orElseThrow();
            assertThat(heard).hasSize(1);
            assertThat(heard.get(0)).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(one);
                assertThat(m.conversationId()).isEqualTo(c);
                assertThat(m.body().text()).isEqualTo("one");
            });

            assertThat(store.messages().insert(message(c, 1, "duplicate"))).isEmpty();
            assertThat(heard).hasSize(1);

            store.messages().insertAll(List.of(message(c, 2, "two"), message(c, 1, "dup"), message(c, 3, "three")));
            assertThat(heard).hasSize(2);
            assertThat(heard.get(1)).extracting(m -> m.body().text()).containsExactly("two", "three");

            // inside an outer transaction: nothing until it commits, nothing at all if it rolls back
            store.context().database().transaction(connection -> {
                store.messages().insert(message(c, 4, "four"));
                store.messages().insert(message(c, 5, "five"));
                assertThat(heard).hasSize(2);
                return null;
            });
            assertThat(heard).hasSize(4);
            assertThatThrownBy(() -> store.context().database().transaction(connection -> {
                store.messages().insert(message(c, 6, "six"));
                throw new StoreException("roll back");
            })).hasMessage("roll back");
            assertThat(heard).hasSize(4);
            assertThat(store.messages().newest(c, 10)).extracting(m -> m.body().text()).doesNotContain("six");
        }
    }

    @Test
    void aFailingListenerDoesNotFailTheCommittedInsert() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, SearchServiceTest.PASSPHRASE, SearchServiceTest.FAST,
                Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            AtomicInteger reported = new AtomicInteger();
            Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
            try {
                store.messages().addInsertListener(messages -> {
                    throw new IllegalStateException("listener bug");
                });
                assertThat(store.messages().insert(message(c, 1, "kept"))).isPresent();
            } finally {
                Thread.currentThread().setUncaughtExceptionHandler(previous);
            }
            assertThat(reported.get()).isEqualTo(1);
            assertThat(store.messages().newest(c, 1).get(0).body().text()).isEqualTo("kept");
        }
    }

    @Test
    void unlockListenersRunAfterEachUnlockOnly() throws Exception {
        ProfileStore.create(dir, SearchServiceTest.PASSPHRASE, SearchServiceTest.FAST, Clock.systemUTC()).close();
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            AtomicInteger unlocks = new AtomicInteger();
            store.addUnlockListener(() -> {
                assertThat(store.isLocked()).isFalse();
                unlocks.incrementAndGet();
            });
            assertThatThrownBy(() -> store.unlock("wrong".toCharArray())).isInstanceOf(StoreException.class);
            assertThat(unlocks.get()).isZero();
            store.unlock(SearchServiceTest.PASSPHRASE);
            store.lock();
            store.unlock(SearchServiceTest.PASSPHRASE);
            assertThat(unlocks.get()).isEqualTo(2);
        }
    }
}
