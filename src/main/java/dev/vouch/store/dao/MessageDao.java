package dev.vouch.store.dao;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.store.IntegrityException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.BlindIndex;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Messages. Each body is sealed and bound to its row id, its conversation and its unique id, so
 * a row moved to another conversation or given another row's body fails authentication. The
 * unique id's blind index makes a redelivered message a no-op (exactly-once storage).
 */
public final class MessageDao {
    static final String TABLE = "messages";
    static final String COLUMNS = "id, conversation_id, uid_index, status, body";

    private final StoreContext context;
    private final List<InsertListener> insertListeners = new CopyOnWriteArrayList<>();
    private final List<StatusListener> statusListeners = new CopyOnWriteArrayList<>();
    private long nextId;

    public MessageDao(StoreContext context) {
        this.context = context;
    }

    /**
     * Told about stored messages once their transaction has committed (never about a rolled-back
     * insert), in id order, on the committing thread while it still holds the database lock: a
     * listener must be quick and must not wait for another thread that uses the store.
     */
    @FunctionalInterface
    public interface InsertListener {
        void inserted(List<StoredMessage> messages);

        /**
         * Rows were inserted by {@link #importAll} without being handed over one by one (an import
         * of a million rows must not hold them all until its commit): read them from the table.
         */
        default void insertedInBulk() {
        }
    }

    public void addInsertListener(InsertListener listener) {
        insertListeners.add(listener);
    }

    public void removeInsertListener(InsertListener listener) {
        insertListeners.remove(listener);
    }

    /**
     * Told when a message's status changed (queued to sent, sent to delivered...), after the
     * transaction has committed, with the same rules as {@link InsertListener}.
     */
    @FunctionalInterface
    public interface StatusListener {
        void statusChanged(long messageId, MessageStatus status);
    }

    public void addStatusListener(StatusListener listener) {
        statusListeners.add(listener);
    }

    public void removeStatusListener(StatusListener listener) {
        statusListeners.remove(listener);
    }

    /** One message to insert. {@code uid} identifies it across redeliveries (e.g. sender + envelope id). */
    public record NewMessage(long conversationId, byte[] uid, MessageStatus status, MessageBody body) {
    }

    /**
     * Stores the message unless one with the same uid exists; joins the caller's transaction if
     * there is one. Returns the new row id, or empty for a duplicate.
     */
    public OptionalLong insert(NewMessage message) throws StoreException {
        return context.database().transaction(connection -> {
            Map<Long, ConversationTally> tallies = new HashMap<>(2);
            OptionalLong id = insertInTransaction(message, tallies);
            applyTallies(tallies);
            if (id.isPresent()) {
                announceAfterCommit(List.of(stored(id.getAsLong(), message)));
            }
            return id;
        });
    }

    /** Stores many messages in one transaction (the fast path for bulk import and benchmarks). */
    public int insertAll(List<NewMessage> messages) throws StoreException {
        return insertAll(messages, true);
    }

    /**
     * As {@link #insertAll}, but listeners hear only {@link InsertListener#insertedInBulk} after
     * the commit, not the rows: for imports that run many batches in one transaction.
     */
    public int importAll(List<NewMessage> messages) throws StoreException {
        return insertAll(messages, false);
    }

    private int insertAll(List<NewMessage> messages, boolean announceRows) throws StoreException {
        return context.database().transaction(connection -> {
            FieldCipher.Column bodyColumn = context.column(TABLE, "body");
            BlindIndex index = context.blindIndex();
            // Drop redeliveries first (within the batch and against the table), then insert the
            // rest with multi-row statements: a bulk import costs one statement per ROWS_PER_INSERT.
            Map<ByteBuffer, NewMessage> fresh = new LinkedHashMap<>();
            for (NewMessage message : messages) {
                fresh.putIfAbsent(ByteBuffer.wrap(index.of("message uid", message.uid())), message);
            }
            removeStored(fresh);
            List<StoredMessage> inserted = new ArrayList<>(fresh.size());
            Map<Long, ConversationTally> tallies = new HashMap<>();
            List<Map.Entry<ByteBuffer, NewMessage>> rows = new ArrayList<>(fresh.entrySet());
            for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
                List<Map.Entry<ByteBuffer, NewMessage>> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT));
                PreparedStatement insert = context.database().statement("INSERT INTO messages"
                        + " (id, conversation_id, uid_index, status, body) VALUES "
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)")));
                int p = 1;
                for (Map.Entry<ByteBuffer, NewMessage> row : chunk) {
                    NewMessage message = row.getValue();
                    byte[] uidIndex = row.getKey().array();
                    long id = allocateId();
                    insert.setLong(p++, id);
                    insert.setLong(p++, message.conversationId());
                    insert.setBytes(p++, uidIndex);
                    insert.setInt(p++, message.status().code());
                    insert.setBytes(p++, bodyColumn.seal(id, binding(message.conversationId(), uidIndex),
                            message.body().encode()));
                    tallies.computeIfAbsent(message.conversationId(), k -> new ConversationTally())
                            .add(id, message.status() == MessageStatus.UNREAD);
                    if (announceRows) {
                        inserted.add(stored(id, message));
                    }
                }
                insert.executeUpdate();
            }
            applyTallies(tallies);
            if (!insertListeners.isEmpty() && !rows.isEmpty()) {
                if (announceRows) {
                    announceAfterCommit(inserted);
                } else {
                    context.database().afterCommit(() -> insertListeners.forEach(InsertListener::insertedInBulk));
                }
            }
            return rows.size();
        });
    }

    private static final int ROWS_PER_INSERT = 100;

    /** Removes from {@code candidates} every message whose uid index is already stored. */
    private void removeStored(Map<ByteBuffer, NewMessage> candidates) throws SQLException {
        List<ByteBuffer> keys = new ArrayList<>(candidates.keySet());
        for (int from = 0; from < keys.size(); from += ROWS_PER_INSERT) {
            List<ByteBuffer> chunk = keys.subList(from, Math.min(keys.size(), from + ROWS_PER_INSERT));
            PreparedStatement st = context.database().statement("SELECT uid_index FROM messages WHERE uid_index IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")");
            for (int i = 0; i < chunk.size(); i++) {
                st.setBytes(i + 1, chunk.get(i).array());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    candidates.remove(ByteBuffer.wrap(rs.getBytes(1)));
                }
            }
        }
    }

    private static StoredMessage stored(long id, NewMessage message) {
        return StoredMessage.intact(id, message.conversationId(), message.status(), message.body());
    }

    private void announceAfterCommit(List<StoredMessage> inserted) {
        if (insertListeners.isEmpty()) {
            return;
        }
        List<StoredMessage> batch = List.copyOf(inserted);
        context.database().afterCommit(() -> {
            for (InsertListener listener : insertListeners) {
                listener.inserted(batch);
            }
        });
    }

    private OptionalLong insertInTransaction(NewMessage message, Map<Long, ConversationTally> tallies)
            throws SQLException, StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        byte[] uidIndex = context.blindIndex().of("message uid", message.uid());
        long id = allocateId();
        // The unique uid index turns a redelivered message into a no-op, without a separate lookup;
        // any other conflict (a reused row id) still fails loudly.
        PreparedStatement insert = context.database().statement("INSERT INTO messages"
                + " (id, conversation_id, uid_index, status, body) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (uid_index) DO NOTHING");
        insert.setLong(1, id);
        insert.setLong(2, message.conversationId());
        insert.setBytes(3, uidIndex);
        insert.setInt(4, message.status().code());
        insert.setBytes(5, bodyColumn.seal(id, binding(message.conversationId(), uidIndex), message.body().encode()));
        if (insert.executeUpdate() == 0) {
            return OptionalLong.empty();
        }
        tallies.computeIfAbsent(message.conversationId(), k -> new ConversationTally())
                .add(id, message.status() == MessageStatus.UNREAD);
        return OptionalLong.of(id);
    }

    /** What a transaction's inserts change in one conversation row, applied once at the end. */
    private static final class ConversationTally {
        long lastId;
        int count;
        int unread;

        void add(long id, boolean isUnread) {
            lastId = Math.max(lastId, id);
            count++;
            unread += isUnread ? 1 : 0;
        }
    }

    private void applyTallies(Map<Long, ConversationTally> tallies) throws SQLException, StoreException {
        PreparedStatement conversation = context.database().statement(
                "UPDATE conversations SET last_message_id = MAX(last_message_id, ?), message_count = message_count + ?,"
                        + " unread = unread + ? WHERE id = ?");
        for (Map.Entry<Long, ConversationTally> entry : tallies.entrySet()) {
            ConversationTally tally = entry.getValue();
            conversation.setLong(1, tally.lastId);
            conversation.setInt(2, tally.count);
            conversation.setInt(3, tally.unread);
            conversation.setLong(4, entry.getKey());
            if (conversation.executeUpdate() != 1) {
                throw new StoreException("no conversation " + entry.getKey());
            }
        }
    }

    private long allocateId() throws StoreException {
        // One writer per profile (the profile lock), so a counter seeded from MAX(id) is safe;
        // a rolled-back insert only leaves a gap.
        if (nextId == 0) {
            nextId = context.database().read(c -> StoreContext.nextId(c, TABLE));
        }
        return nextId++;
    }

    /** The newest {@code limit} messages of a conversation, newest first. */
    public List<StoredMessage> newest(long conversationId, int limit) throws StoreException {
        return page(conversationId, Long.MAX_VALUE, limit);
    }

    /*
     * The paging queries. Each is one range of the (conversation_id, id) index, read in the order
     * it is asked for: a page costs its own rows, wherever it is in a conversation of any length.
     */
    static final String OLDER = "SELECT " + COLUMNS
            + " FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
    static final String NEWER = "SELECT " + COLUMNS
            + " FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?";
    static final String ANY_OLDER = "SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND id < ?)";
    static final String ANY_NEWER = "SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND id > ?)";

    /** The {@code limit} messages older than {@code beforeId}, newest first. */
    public List<StoredMessage> page(long conversationId, long beforeId, int limit) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        return context.database().read(connection -> rows(OLDER, bodyColumn, conversationId, beforeId, limit));
    }

    /** The {@code limit} messages newer than {@code afterId}, oldest first. */
    public List<StoredMessage> after(long conversationId, long afterId, int limit) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        return context.database().read(connection -> rows(NEWER, bodyColumn, conversationId, afterId, limit));
    }

    /**
     * A page of a conversation around one of its messages (a search hit), oldest first.
     *
     * @param messages   at most {@code limit}: about half older than the message, the message, and
     *                   the rest newer; when one side runs out (the message is among the first or
     *                   the newest), the other side makes up the page
     * @param olderRemain whether the conversation holds messages older than the first of the page
     * @param newerRemain whether it holds messages newer than the last of the page
     */
    public record Window(List<StoredMessage> messages, boolean olderRemain, boolean newerRemain) {
        public Window {
            messages = List.copyOf(messages);
        }
    }

    /**
     * The page of {@code limit} messages around {@code messageId}, read in one transaction with at
     * most three index ranges; empty when that message is not (or no longer) in the conversation.
     */
    public Optional<Window> around(long conversationId, long messageId, int limit) throws StoreException {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least the message itself");
        }
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        return context.database().read(connection -> {
            int newerWanted = limit - limit / 2; // the message itself and what follows it
            List<StoredMessage> newer = rows(NEWER, bodyColumn, conversationId, messageId - 1, newerWanted);
            if (newer.isEmpty() || newer.get(0).id() != messageId) {
                return Optional.<Window>empty();
            }
            List<StoredMessage> older = rows(OLDER, bodyColumn, conversationId, messageId, limit - newer.size());
            List<StoredMessage> page = new ArrayList<>(limit);
            for (int i = older.size() - 1; i >= 0; i--) {
                page.add(older.get(i));
            }
            page.addAll(newer);
            if (page.size() < limit && newer.size() == newerWanted) {
                page.addAll(rows(NEWER, bodyColumn, conversationId, page.get(page.size() - 1).id(), limit - page.size()));
            }
            return Optional.of(new Window(page, exists(ANY_OLDER, conversationId, page.get(0).id()),
                    exists(ANY_NEWER, conversationId, page.get(page.size() - 1).id())));
        });
    }

    /** Runs one of the paging queries (conversation, id bound, limit) and opens its rows. */
    private List<StoredMessage> rows(String sql, FieldCipher.Column bodyColumn, long conversationId, long id,
                                     int limit) throws SQLException {
        PreparedStatement st = context.database().statement(sql);
        st.setLong(1, conversationId);
        st.setLong(2, id);
        st.setInt(3, limit);
        List<StoredMessage> out = new ArrayList<>(Math.min(limit, 1_000));
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs, bodyColumn));
            }
        }
        return out;
    }

    private boolean exists(String sql, long conversationId, long id) throws SQLException {
        PreparedStatement st = context.database().statement(sql);
        st.setLong(1, conversationId);
        st.setLong(2, id);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    public Optional<StoredMessage> get(long id) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT " + COLUMNS + " FROM messages WHERE id = ?");
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, bodyColumn)) : Optional.empty();
            }
        });
    }

    /** The message stored under {@code uid} (as given to {@link NewMessage}), if any. */
    public Optional<StoredMessage> findByUid(byte[] uid) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        byte[] uidIndex = context.blindIndex().of("message uid", uid);
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT " + COLUMNS + " FROM messages WHERE uid_index = ?");
            st.setBytes(1, uidIndex);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, bodyColumn)) : Optional.empty();
            }
        });
    }

    /**
     * Messages in {@code status}, oldest first, across conversations ({@code conversationId} 0) or
     * in one; at most {@code limit}.
     */
    public List<StoredMessage> withStatus(MessageStatus status, long conversationId, int limit) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT " + COLUMNS + " FROM messages"
                    + " WHERE status = ? AND (? = 0 OR conversation_id = ?) ORDER BY id LIMIT ?");
            st.setInt(1, status.code());
            st.setLong(2, conversationId);
            st.setLong(3, conversationId);
            st.setInt(4, limit);
            List<StoredMessage> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs, bodyColumn));
                }
            }
            return out;
        });
    }

    public void updateStatus(long id, MessageStatus status) throws StoreException {
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("UPDATE messages SET status = ? WHERE id = ?");
            st.setInt(1, status.code());
            st.setLong(2, id);
            if (st.executeUpdate() == 1 && !statusListeners.isEmpty()) {
                context.database().afterCommit(() -> statusListeners.forEach(l -> l.statusChanged(id, status)));
            }
            return null;
        });
    }

    /** Visits every message with an id above {@code afterId} in id order, a page at a time. */
    public void forEach(long afterId, int pageSize, Visitor visitor) throws StoreException {
        FieldCipher.Column bodyColumn = context.column(TABLE, "body");
        long cursor = afterId;
        while (true) {
            long from = cursor;
            List<StoredMessage> page = context.database().read(connection -> {
                PreparedStatement st = context.database().statement("SELECT " + COLUMNS
                        + " FROM messages WHERE id > ? ORDER BY id LIMIT ?");
                st.setLong(1, from);
                st.setInt(2, pageSize);
                List<StoredMessage> out = new ArrayList<>(pageSize);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs, bodyColumn));
                    }
                }
                return out;
            });
            for (StoredMessage message : page) {
                visitor.visit(message);
            }
            if (page.size() < pageSize) {
                return;
            }
            cursor = page.get(page.size() - 1).id();
        }
    }

    @FunctionalInterface
    public interface Visitor {
        void visit(StoredMessage message) throws StoreException;
    }

    /** Reads one row selected with {@link #COLUMNS} starting at column {@code 1}. */
    static StoredMessage read(ResultSet rs, FieldCipher.Column bodyColumn) throws SQLException {
        long id = rs.getLong(1);
        long conversationId = rs.getLong(2);
        byte[] uidIndex = rs.getBytes(3);
        MessageStatus status;
        try {
            status = MessageStatus.ofCode(rs.getInt(4));
        } catch (IllegalArgumentException e) {
            return StoredMessage.damaged(id, conversationId, MessageStatus.READ, new IntegrityException(TABLE, "status", id));
        }
        try {
            byte[] plain = bodyColumn.open(id, binding(conversationId, uidIndex), rs.getBytes(5));
            return StoredMessage.intact(id, conversationId, status, MessageBody.decode(plain));
        } catch (IntegrityException e) {
            return StoredMessage.damaged(id, conversationId, status, e);
        } catch (MalformedDataException e) {
            return StoredMessage.damaged(id, conversationId, status, new IntegrityException(TABLE, "body", id));
        }
    }

    private static byte[] binding(long conversationId, byte[] uidIndex) {
        byte[] index = uidIndex == null ? new byte[0] : uidIndex;
        return ByteBuffer.allocate(8 + index.length).putLong(conversationId).put(index).array();
    }
}
