package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.store.model.OutgoingEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox: envelopes come back in the order they were queued with every field, leave one by
 * one with a count of their message's envelopes still waiting, survive a restart, and a row that
 * someone with the disk moves to another message (or alters) is reported instead of being sent.
 */
class OutboxDaoTest {
    private static final char[] PASSPHRASE = "outbox".toCharArray();

    @TempDir
    Path dir;

    private ProfileStore create() throws StoreException {
        return ProfileStore.create(dir, PASSPHRASE, ProfileStoreTest.FAST, Clock.systemUTC());
    }

    private ProfileStore reopen() throws StoreException {
        ProfileStore store = ProfileStore.open(dir, Clock.systemUTC());
        store.unlock(PASSPHRASE);
        return store;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[33];
        java.util.Arrays.fill(key, (byte) seed);
        return key;
    }

    private void raw(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(sql)).isEqualTo(1);
        }
    }

    @Test
    void envelopesComeBackInOrderAndLeaveOneByOne() throws Exception {
        try (ProfileStore store = create()) {
            assertThat(store.outbox().pending()).isEmpty();
            assertThat(store.outbox().size()).isZero();
            long first = store.outbox().add(7, "bob", 1, key(1), bytes("to bob's phone"));
            long second = store.outbox().add(7, "bob", 2, key(2), bytes("to bob's laptop"));
            long receipt = store.outbox().add(0, "carol@vouch.example", 1, key(3), bytes("a receipt"));
            long other = store.outbox().add(8, "bob", 1, key(1), new byte[1 << 20]);
            assertThat(List.of(first, second, receipt, other)).isSorted().doesNotHaveDuplicates();

            List<OutgoingEnvelope> pending = store.outbox().pending();
            assertThat(pending).extracting(OutgoingEnvelope::id).containsExactly(first, second, receipt, other);
            OutgoingEnvelope laptop = pending.get(1);
            assertThat(laptop.messageId()).isEqualTo(7);
            assertThat(laptop.recipient()).isEqualTo("bob");
            assertThat(laptop.deviceId()).isEqualTo(2);
            assertThat(laptop.recipientKey()).isEqualTo(key(2));
            assertThat(laptop.envelope()).isEqualTo(bytes("to bob's laptop"));
            assertThat(pending.get(2).messageId()).isZero();
            assertThat(pending.get(2).recipient()).isEqualTo("carol@vouch.example");
            assertThat(pending.get(3).envelope()).hasSize(1 << 20);
            assertThat(laptop.toString()).doesNotContain("bob");

            assertThat(store.outbox().hasEnvelopes(7)).isTrue();
            assertThat(store.outbox().hasEnvelopes(8)).isTrue();
            assertThat(store.outbox().hasEnvelopes(9)).isFalse();
            assertThat(store.outbox().size()).isEqualTo(4);

            assertThat(store.outbox().remove(pending.get(0))).as("bob's laptop still waits").isEqualTo(1);
            assertThat(store.outbox().hasEnvelopes(7)).isTrue();
            assertThat(store.outbox().remove(pending.get(1))).isZero();
            assertThat(store.outbox().hasEnvelopes(7)).isFalse();
            assertThat(store.outbox().remove(pending.get(1))).as("removing twice is harmless").isZero();
            assertThat(store.outbox().size()).isEqualTo(2);
        }
        try (ProfileStore store = reopen()) {
            assertThat(store.outbox().pending()).extracting(OutgoingEnvelope::messageId).containsExactly(0L, 8L);
            assertThat(store.outbox().pending().get(0).envelope()).isEqualTo(bytes("a receipt"));
            // ids keep growing after removals, so the order stays the queueing order
            long next = store.outbox().add(9, "dave", 1, key(4), bytes("later"));
            assertThat(store.outbox().pending()).extracting(OutgoingEnvelope::id).last().isEqualTo(next);
        }
    }

    @Test
    void anEnvelopeJoinsTheCallersTransactionAndRollsBackWithIt() throws Exception {
        try (ProfileStore store = create()) {
            assertThatThrownBy(() -> store.context().database().transaction(connection -> {
                store.outbox().add(1, "bob", 1, key(1), bytes("never sent"));
                throw new StoreException("the ratchet step failed");
            })).isInstanceOf(StoreException.class);
            assertThat(store.outbox().size()).isZero();
            assertThat(store.outbox().hasEnvelopes(1)).isFalse();
        }
    }

    @Test
    void aRowMovedToAnotherMessageIsReportedNotSent() throws Exception {
        long moved;
        try (ProfileStore store = create()) {
            store.outbox().add(7, "bob", 1, key(1), bytes("for message 7"));
            moved = store.outbox().add(8, "bob", 1, key(1), bytes("for message 8"));
        }
        // Someone with the disk tries to make message 8's envelope settle message 7.
        raw("UPDATE outbox SET message_id = 7 WHERE id = " + moved);
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.outbox().pending())
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.table()).isEqualTo("outbox");
                        assertThat(e.column()).isEqualTo("data");
                        assertThat(e.rowId()).isEqualTo(moved);
                    });
        }
        raw("UPDATE outbox SET message_id = 8 WHERE id = " + moved);
        try (ProfileStore store = reopen()) {
            assertThat(store.outbox().pending()).hasSize(2);
        }
    }

    @Test
    void anAlteredOrSwappedRowIsReported() throws Exception {
        long first;
        long second;
        try (ProfileStore store = create()) {
            first = store.outbox().add(7, "bob", 1, key(1), bytes("one"));
            second = store.outbox().add(7, "bob", 1, key(1), bytes("two"));
        }
        // the same message id, but row 2's sealed value put in row 1: bound to its row id too
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE))) {
            byte[] data;
            try (PreparedStatement st = c.prepareStatement("SELECT data FROM outbox WHERE id = ?")) {
                st.setLong(1, second);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    data = rs.getBytes(1);
                }
            }
            try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET data = ? WHERE id = ?")) {
                st.setBytes(1, data);
                st.setLong(2, first);
                st.executeUpdate();
            }
        }
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.outbox().pending())
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.rowId()).isEqualTo(first));
        }
    }

    @Test
    void nothingOfAnEnvelopeIsReadableOnDisk() throws Exception {
        try (ProfileStore store = create()) {
            store.outbox().add(7, "bob-the-recipient", 1, key(1), bytes("envelope-bytes-in-the-clear?"));
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(ProfileStore.DATABASE_FILE)).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(text).as(file.getFileName().toString()).doesNotContain("bob-the-recipient")
                        .doesNotContain("envelope-bytes-in-the-clear");
            }
        }
    }

    @Test
    void theOutboxNeedsTheUnlockedStore() throws Exception {
        try (ProfileStore store = create()) {
            store.outbox().add(7, "bob", 1, key(1), bytes("x"));
            store.lock();
            assertThatThrownBy(() -> store.outbox().pending()).isInstanceOf(StoreLockedException.class);
            assertThatThrownBy(() -> store.outbox().add(7, "bob", 1, key(1), bytes("x")))
                    .isInstanceOf(StoreLockedException.class);
        }
    }
}
