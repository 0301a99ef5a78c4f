package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.store.crypto.StoreKeys;
import dev.vouch.store.crypto.Vault;
import dev.vouch.store.dao.ConversationDao;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.dao.VaultDao;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.store.sqlite.Database;
import dev.vouch.store.sqlite.Migrations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles written before the messaging service still open: a schema 1 database gains the outbox
 * when it is opened, and rows in the first formats (message bodies without a message id, contacts
 * without a profile key) are read as they were, sealed exactly as the older build sealed them.
 */
class StoreUpgradeTest {
    private static final char[] PASSPHRASE = "an older profile".toCharArray();
    private static final Instant T0 = Instant.parse("2026-03-01T09:30:00Z");
    /** The profile schema as the first release shipped it. */
    private static final Migrations SCHEMA_1 = new Migrations("profile", List.of("V1__initial.sql"));

    @TempDir
    Path dir;

    /** A message body in format 1, byte by byte: u8 1, u8 direction, bytes handle, u32 device, u64 sent, u64 received, u8 type, bytes content. */
    private static byte[] formatOneBody(Direction direction, String handle, int device, Instant sent, Instant received,
                                        String text) {
        return new ByteWriter(64).u8(1).u8(direction.ordinal()).bytes(handle.getBytes(StandardCharsets.UTF_8))
                .u32(device).u64(sent.toEpochMilli()).u64(received.toEpochMilli()).u8(MessageBody.CONTENT_TEXT)
                .bytes(text.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /** A contact in format 1: u8 1, bytes handle, bytes name, u8 state, u64 added, bool has-key, [bytes key]. */
    private static byte[] formatOneContact(String handle, String name, VerificationState state, Instant added,
                                           Optional<AccountIdentityKey> key) {
        ByteWriter w = new ByteWriter(160).u8(1).bytes(handle.getBytes(StandardCharsets.UTF_8))
                .bytes(name.getBytes(StandardCharsets.UTF_8)).u8(state.ordinal()).u64(added.toEpochMilli())
                .bool(key.isPresent());
        key.ifPresent(k -> w.bytes(k.serialize()));
        return w.toByteArray();
    }

    @Test
    void aFormatOneMessageBodyDecodesWithAnEmptyMessageId() throws Exception {
        Instant sent = Instant.parse("2025-12-24T18:00:00.123Z");
        byte[] old = formatOneBody(Direction.INCOMING, "carol", 3, sent, sent.plusSeconds(2), "Frohe Weihnachten 🎄");
        MessageBody body = MessageBody.decode(old);
        assertThat(body.messageId()).isEmpty();
        assertThat(body.direction()).isEqualTo(Direction.INCOMING);
        assertThat(body.senderHandle()).isEqualTo("carol");
        assertThat(body.senderDevice()).isEqualTo(3);
        assertThat(body.sentAt()).isEqualTo(sent);
        assertThat(body.receivedAt()).isEqualTo(sent.plusSeconds(2));
        assertThat(body.text()).isEqualTo("Frohe Weihnachten 🎄");
        assertThat(body).isEqualTo(MessageBody.text(Direction.INCOMING, "carol", 3, sent, sent.plusSeconds(2),
                "Frohe Weihnachten 🎄"));

        // format 1 ends after the content: a message id field there is trailing data, not an id
        byte[] withId = new ByteWriter(old.length + 8).fixed(old).bytes(new byte[] {1, 2, 3}).toByteArray();
        assertThatThrownBy(() -> MessageBody.decode(withId)).isInstanceOf(MalformedDataException.class);
        // and format 2 needs its id field
        byte[] twoWithoutId = old.clone();
        twoWithoutId[0] = 2;
        assertThatThrownBy(() -> MessageBody.decode(twoWithoutId)).isInstanceOf(MalformedDataException.class);
        byte[] three = old.clone();
        three[0] = 3;
        assertThatThrownBy(() -> MessageBody.decode(three)).isInstanceOf(MalformedDataException.class);
        // the current format carries the id through
        MessageBody current = body.withMessageId(new byte[] {9, 8, 7});
        assertThat(MessageBody.decode(current.encode()).messageId()).containsExactly(9, 8, 7);
    }

    /**
     * A profile as the first release left it: schema 1, one verified contact with an account key
     * and one message, both sealed in format 1. The current build opens it, adds the outbox
     * (schema 2), reads both rows unchanged, and writes the contact back in the current format.
     */
    @Test
    void aSchemaOneProfileWithFormatOneRowsUpgradesOnOpen() throws Exception {
        AccountIdentityKey carolKey = AccountIdentity.generate(new SecureRandom()).publicKey();
        Instant sent = T0.minusSeconds(3600);
        long contactId;
        long messageId;
        Path file = dir.resolve(ProfileStore.DATABASE_FILE);
        try (Database db = Database.open(file, true, SCHEMA_1)) {
            Vault vault = Vault.create(PASSPHRASE, ProfileStoreTest.FAST);
            new VaultDao(db).save(vault);
            StoreContext context = new StoreContext(db, () -> { });
            byte[] dataKey = vault.unlock(PASSPHRASE);
            context.install(StoreKeys.derive(dataKey));
            Arrays.fill(dataKey, (byte) 0);
            contactId = writeFormatOneContact(context, "carol", formatOneContact("carol", "Carol",
                    VerificationState.VERIFIED, T0, Optional.of(carolKey)));
            messageId = writeFormatOneMessage(context, "carol", "uid of carol's message".getBytes(StandardCharsets.UTF_8),
                    formatOneBody(Direction.INCOMING, "carol", 1, sent, T0, "from the old days"));
            context.destroyKeys();
        }
        assertThat(userVersion()).isEqualTo(1);
        assertThat(tables()).doesNotContain("outbox");

        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            assertThat(userVersion()).as("upgraded on open, before the unlock").isEqualTo(3);
            store.unlock(PASSPHRASE);
            Contact carol = store.contacts().find("carol").orElseThrow();
            assertThat(carol.id()).isEqualTo(contactId);
            assertThat(carol.displayName()).isEqualTo("Carol");
            assertThat(carol.verification()).isEqualTo(VerificationState.VERIFIED);
            assertThat(carol.accountKey()).contains(carolKey);
            assertThat(carol.addedAt()).isEqualTo(T0);
            assertThat(carol.profileKey()).isEmpty();
            assertThat(store.contacts().list()).containsExactly(carol);

            StoredMessage message = store.messages().get(messageId).orElseThrow();
            assertThat(message.isDamaged()).isFalse();
            assertThat(message.body().text()).isEqualTo("from the old days");
            assertThat(message.body().messageId()).isEmpty();
            assertThat(message.body().sentAt()).isEqualTo(sent);
            assertThat(store.messages().findByUid("uid of carol's message".getBytes(StandardCharsets.UTF_8)))
                    .hasValueSatisfying(m -> assertThat(m.id()).isEqualTo(messageId));
            assertThat(store.messages().withStatus(MessageStatus.UNREAD, 0, 10)).extracting(StoredMessage::id)
                    .containsExactly(messageId);

            // the new table works in the upgraded profile
            assertThat(store.outbox().size()).isZero();
            store.outbox().add(messageId, "carol", 1, new byte[33], new byte[] {1, 2, 3});
            assertThat(store.outbox().pending()).singleElement()
                    .satisfies(e -> assertThat(e.envelope()).containsExactly(1, 2, 3));

            // the first write stores the current format, with the profile key
            store.contacts().update(carol.withProfileKey(new ProfileKey(new byte[32])));
        }
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            store.unlock(PASSPHRASE);
            Contact carol = store.contacts().find("carol").orElseThrow();
            assertThat(carol.profileKey()).contains(new ProfileKey(new byte[32]));
            assertThat(carol.accountKey()).contains(carolKey);
            assertThat(carol.verification()).isEqualTo(VerificationState.VERIFIED);
            assertThat(store.outbox().size()).isEqualTo(1);
        }
    }

    /** A contact row of a current profile rewritten to format 1 with the same column key still opens, without profile key. */
    @Test
    void aFormatOneContactInACurrentProfileOpens() throws Exception {
        long daveId;
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, ProfileStoreTest.FAST, Clock.systemUTC())) {
            Contact dave = store.contacts().add("dave", "Dave", T0);
            store.contacts().update(dave.withProfileKey(new ProfileKey(new byte[32])));
            daveId = dave.id();
            sealContact(store.context(), daveId, "dave",
                    formatOneContact("dave", "Dave (old)", VerificationState.UNVERIFIED, T0, Optional.empty()));
            Contact read = store.contacts().find("dave").orElseThrow();
            assertThat(read.displayName()).isEqualTo("Dave (old)");
            assertThat(read.profileKey()).isEmpty();
            assertThat(read.accountKey()).isEmpty();

            // a format 1 row carrying what looks like a profile key has trailing bytes: damaged, not half-read
            byte[] trailing = new ByteWriter(64).fixed(formatOneContact("dave", "Dave", VerificationState.UNVERIFIED, T0,
                    Optional.empty())).bool(true).bytes(new byte[32]).toByteArray();
            sealContact(store.context(), daveId, "dave", trailing);
            assertThatThrownBy(() -> store.contacts().find("dave"))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.rowId()).isEqualTo(daveId));
            // an unknown format is damage too
            byte[] three = formatOneContact("dave", "Dave", VerificationState.UNVERIFIED, T0, Optional.empty());
            three[0] = 3;
            sealContact(store.context(), daveId, "dave", three);
            assertThatThrownBy(() -> store.contacts().find("dave")).isInstanceOf(IntegrityException.class);
        }
    }

    private static long writeFormatOneContact(StoreContext context, String handle, byte[] plain) throws StoreException {
        byte[] index = context.blindIndex().of("contact handle", handle);
        return context.database().transaction(connection -> {
            long id = StoreContext.nextId(connection, "contacts");
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO contacts (id, handle_index, data) VALUES (?, ?, ?)")) {
                st.setLong(1, id);
                st.setBytes(2, index);
                st.setBytes(3, context.column("contacts", "data").seal(id, index, plain));
                st.executeUpdate();
            }
            return id;
        });
    }

    /** Replaces a contact's sealed value with {@code plain}, sealed with the profile's own column key. */
    private static void sealContact(StoreContext context, long id, String handle, byte[] plain) throws StoreException {
        byte[] index = context.blindIndex().of("contact handle", handle);
        byte[] sealed = context.column("contacts", "data").seal(id, index, plain);
        context.database().transaction(connection -> {
            try (PreparedStatement st = connection.prepareStatement("UPDATE contacts SET data = ? WHERE id = ?")) {
                st.setBytes(1, sealed);
                st.setLong(2, id);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
    }

    /**
     * Stores a message the way the older build did: the conversation through today's DAO (its format
     * did not change), then the message row with a format 1 body sealed to its row, conversation and uid.
     */
    private static long writeFormatOneMessage(StoreContext context, String peer, byte[] uid, byte[] plainBody)
            throws StoreException {
        long conversation = new ConversationDao(context).open(peer);
        // today's DAO writes the row (counters, uid index), then the body is replaced by the old format
        long id = new MessageDao(context).insert(new MessageDao.NewMessage(conversation, uid, MessageStatus.UNREAD,
                MessageBody.text(Direction.INCOMING, peer, 1, T0, T0, "placeholder"))).orElseThrow();
        context.database().transaction(connection -> {
            byte[] uidIndex;
            try (PreparedStatement st = connection.prepareStatement("SELECT uid_index FROM messages WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    uidIndex = rs.getBytes(1);
                }
            }
            assertThat(uidIndex).isEqualTo(context.blindIndex().of("message uid", uid));
            byte[] binding = ByteBuffer.allocate(8 + uidIndex.length).putLong(conversation).put(uidIndex).array();
            try (PreparedStatement st = connection.prepareStatement("UPDATE messages SET body = ? WHERE id = ?")) {
                st.setBytes(1, context.column("messages", "body").seal(id, binding, plainBody));
                st.setLong(2, id);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
        return id;
    }

    private int userVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    private List<String> tables() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
