package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStoreTest {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    static MessageBody text(String text) {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        return MessageBody.text(Direction.INCOMING, "bob", 1, t, t, text);
    }

    @Test
    void storesAndListsMessagesNewestFirstWithPaging() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long conversation = store.conversations().open("bob");
            for (int i = 0; i < 120; i++) {
                store.messages().insert(new NewMessage(conversation, ("uid" + i).getBytes(StandardCharsets.UTF_8),
                        MessageStatus.UNREAD, text("message " + i)));
            }
            List<StoredMessage> newest = store.messages().newest(conversation, 50);
            assertThat(newest).hasSize(50);
            assertThat(newest.get(0).body().text()).isEqualTo("message 119");
            List<StoredMessage> older = store.messages().page(conversation, newest.get(49).id(), 50);
            assertThat(older.get(0).body().text()).isEqualTo("message 69");
            var summary = store.conversations().list().get(0);
            assertThat(summary.peer()).isEqualTo("bob");
            assertThat(summary.unread()).isEqualTo(120);
            assertThat(summary.lastMessage().orElseThrow().body().text()).isEqualTo("message 119");
            store.conversations().markRead(conversation);
            assertThat(store.conversations().list().get(0).unread()).isZero();
        }
    }

    @Test
    void namedConversationsReadAsTheWholeListReadsThemInItsOrder() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long bob = store.conversations().open("bob");
            long carol = store.conversations().open("carol");
            long dave = store.conversations().open("dave");
            store.messages().insert(new NewMessage(bob, "b1".getBytes(StandardCharsets.UTF_8), MessageStatus.UNREAD,
                    text("to bob")));
            store.messages().insert(new NewMessage(dave, "d1".getBytes(StandardCharsets.UTF_8), MessageStatus.UNREAD,
                    text("to dave")));

            var all = store.conversations().list();
            var some = store.conversations().list(List.of(carol, bob, dave, 9_999L));

            assertThat(all).extracting(s -> s.peer()).containsExactly("dave", "bob", "carol");
            assertThat(some).isEqualTo(all);
            assertThat(store.conversations().list(List.of(bob))).containsExactly(all.get(1));
            assertThat(store.conversations().list(List.of())).isEmpty();
        }
    }

    @Test
    void aRedeliveredMessageIsStoredOnce() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long conversation = store.conversations().open("bob");
            NewMessage m = new NewMessage(conversation, new byte[] {1, 2, 3}, MessageStatus.UNREAD, text("once"));
            assertThat(store.messages().insert(m)).isPresent();
            assertThat(store.messages().insert(m)).isEmpty();
            assertThat(store.messages().newest(conversation, 10)).hasSize(1);
        }
    }

    @Test
    void bulkInsertStoresEachUidOnceWithinTheBatchAndAcrossBatches() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            java.util.List<NewMessage> first = new java.util.ArrayList<>();
            for (int i = 0; i < 250; i++) {
                first.add(new NewMessage(c, new byte[] {(byte) i, (byte) (i >> 8)}, MessageStatus.UNREAD, text("m" + i)));
            }
            first.add(new NewMessage(c, new byte[] {7, 0}, MessageStatus.UNREAD, text("a redelivery in the same batch")));
            assertThat(store.messages().insertAll(first)).isEqualTo(250);
            java.util.List<NewMessage> second = java.util.List.of(
                    new NewMessage(c, new byte[] {7, 0}, MessageStatus.UNREAD, text("a redelivery later")),
                    new NewMessage(c, new byte[] {1, 1, 1}, MessageStatus.UNREAD, text("new")));
            assertThat(store.messages().insertAll(second)).isEqualTo(1);
            List<StoredMessage> newest = store.messages().newest(c, 300);
            assertThat(newest).hasSize(251);
            assertThat(newest.get(0).body().text()).isEqualTo("new");
            assertThat(newest.get(newest.size() - 1 - 7).body().text()).isEqualTo("m7");
            var summary = store.conversations().list().get(0);
            assertThat(summary.messageCount()).isEqualTo(251);
            assertThat(summary.unread()).isEqualTo(251);
        }
    }

    @Test
    void wrongPassphraseIsRefusedAndWritesNothing() throws Exception {
        ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC()).close();
        byte[] before = Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE));
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.unlock("wrong".toCharArray())).isInstanceOf(WrongPassphraseException.class);
            assertThat(store.isLocked()).isTrue();
            assertThatThrownBy(() -> store.conversations().list()).isInstanceOf(StoreLockedException.class);
        }
        assertThat(Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE))).isEqualTo(before);
    }

    @Test
    void changingThePassphraseKeepsHistory() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            store.messages().insert(new NewMessage(c, new byte[] {9}, MessageStatus.READ, text("kept")));
            store.changePassphrase(PASSPHRASE, "new one".toCharArray(), FAST);
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.unlock(PASSPHRASE)).isInstanceOf(WrongPassphraseException.class);
            store.unlock("new one".toCharArray());
            long c = store.conversations().find("bob").orElseThrow();
            assertThat(store.messages().newest(c, 1).get(0).body().text()).isEqualTo("kept");
        }
    }

    @Test
    void idleTimeoutLocksAndNotifies() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, clock)) {
            AtomicReference<Boolean> notified = new AtomicReference<>(false);
            store.addLockListener(() -> notified.set(true));
            store.setIdleTimeout(Duration.ofMinutes(5));
            now.set(now.get().plus(Duration.ofMinutes(4)));
            assertThat(store.lockIfIdle()).isFalse();
            store.conversations().list(); // activity
            now.set(now.get().plus(Duration.ofMinutes(4)));
            assertThat(store.lockIfIdle()).isFalse();
            now.set(now.get().plus(Duration.ofMinutes(1)));
            assertThat(store.lockIfIdle()).isTrue();
            assertThat(store.isLocked()).isTrue();
            assertThat(notified.get()).isTrue();
            store.unlock(PASSPHRASE);
            assertThat(store.conversations().list()).isEmpty();
        }
    }

    @Test
    void theScheduledIdleCheckLocksAnIdleStore() throws Exception {
        var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
            store.addLockListener(locked::countDown);
            store.setIdleTimeout(Duration.ofMillis(50));
            var task = store.scheduleIdleLock(scheduler, Duration.ofMillis(20));
            assertThat(locked.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(store.isLocked()).isTrue();
            task.cancel(false);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aTamperedRowIsFlaggedAndTheRestStaysReadable() throws Exception {
        long victim;
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            for (int i = 0; i < 5; i++) {
                store.messages().insert(new NewMessage(c, new byte[] {(byte) i}, MessageStatus.READ, text("m" + i)));
            }
            victim = store.messages().newest(c, 5).get(2).id();
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             PreparedStatement st = raw.prepareStatement("UPDATE messages SET body = ? WHERE id = ?")) {
            st.setBytes(1, new byte[64]);
            st.setLong(2, victim);
            st.executeUpdate();
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            store.unlock(PASSPHRASE);
            List<StoredMessage> all = store.messages().newest(store.conversations().find("bob").orElseThrow(), 10);
            assertThat(all).hasSize(5);
            assertThat(all).filteredOn(StoredMessage::isDamaged).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(victim);
                assertThat(m.damage().table()).isEqualTo("messages");
                assertThat(m.damage().column()).isEqualTo("body");
            });
            assertThat(all).filteredOn(m -> !m.isDamaged()).hasSize(4);
        }
    }

    @Test
    void aBodyMovedToAnotherRowFailsAuthentication() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            store.messages().insert(new NewMessage(c, new byte[] {1}, MessageStatus.READ, text("first")));
            store.messages().insert(new NewMessage(c, new byte[] {2}, MessageStatus.READ, text("second")));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             Statement st = raw.createStatement()) {
            st.executeUpdate("UPDATE messages SET body = (SELECT body FROM messages WHERE id = 1) WHERE id = 2");
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            store.unlock(PASSPHRASE);
            List<StoredMessage> all = store.messages().newest(1, 10);
            assertThat(all.get(0).isDamaged()).isTrue();
            assertThat(all.get(1).body().text()).isEqualTo("first");
        }
    }

    @Test
    void aStoreFromANewerVersionIsRefusedUntouched() throws Exception {
        ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC()).close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             Statement st = raw.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        byte[] before = Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE));
        assertThatThrownBy(() -> ProfileStore.open(dir, Clock.systemUTC()))
                .isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("newer Vouch");
        assertThat(Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE))).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedUntouched() throws Exception {
        Files.writeString(dir.resolve(ProfileStore.DATABASE_FILE), "this is not a database, just some text long enough"
                + " to pass the first length check of the header reader, and then some more padding text.");
        byte[] before = Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE));
        assertThatThrownBy(() -> ProfileStore.open(dir, Clock.systemUTC()))
                .isInstanceOf(NotAStoreException.class).hasMessageContaining("not an SQLite database");
        assertThat(Files.readAllBytes(dir.resolve(ProfileStore.DATABASE_FILE))).isEqualTo(before);
    }

    @Test
    void aTruncatedStoreIsRefusedUntouched() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            for (int i = 0; i < 200; i++) {
                store.messages().insert(new NewMessage(c, new byte[] {(byte) i, (byte) (i >> 8)}, MessageStatus.READ,
                        text("padding the database to several pages " + i)));
            }
        }
        Path file = dir.resolve(ProfileStore.DATABASE_FILE);
        byte[] full = Files.readAllBytes(file);
        byte[] truncated = java.util.Arrays.copyOf(full, full.length / 2);
        Files.write(file, truncated);
        assertThatThrownBy(() -> ProfileStore.open(dir, Clock.systemUTC()))
                .isInstanceOf(NotAStoreException.class).hasMessageContaining("truncated");
        assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
    }

    @Test
    void aProfileOpensInOneProcessAtATime() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, FAST, Clock.systemUTC())) {
            assertThatThrownBy(() -> ProfileStore.open(dir, Clock.systemUTC()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("open in another");
        }
    }
}
