package dev.vouch.store.dao;

import dev.vouch.store.IntegrityException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import dev.vouch.store.crypto.FieldCipher;
import dev.vouch.store.model.ConversationSummary;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Conversations, found by the blind index of their peer. Counts and the id of the newest message
 * are kept in the clear so the list can be ordered and badged without decrypting every row.
 */
public final class ConversationDao {
    static final String TABLE = "conversations";
    private static final String INDEX_DOMAIN = "conversation peer";

    private final StoreContext context;

    public ConversationDao(StoreContext context) {
        this.context = context;
    }

    /** The conversation with {@code peer}, created if needed. */
    public long open(String peer) throws StoreException {
        byte[] index = context.blindIndex().of(INDEX_DOMAIN, peer);
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().transaction(connection -> {
            Optional<Long> existing = findByIndex(index);
            if (existing.isPresent()) {
                return existing.get();
            }
            long id = StoreContext.nextId(connection, TABLE);
            PreparedStatement st = context.database().statement(
                    "INSERT INTO conversations (id, peer_index, data) VALUES (?, ?, ?)");
            st.setLong(1, id);
            st.setBytes(2, index);
            st.setBytes(3, data.seal(id, index, peer.getBytes(StandardCharsets.UTF_8)));
            st.executeUpdate();
            return id;
        });
    }

    public Optional<Long> find(String peer) throws StoreException {
        byte[] index = context.blindIndex().of(INDEX_DOMAIN, peer);
        return context.database().read(connection -> findByIndex(index));
    }

    private Optional<Long> findByIndex(byte[] index) throws java.sql.SQLException {
        PreparedStatement st = context.database().statement("SELECT id FROM conversations WHERE peer_index = ?");
        st.setBytes(1, index);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    /** All conversations, most recently active first, each with its newest message. */
    public List<ConversationSummary> list() throws StoreException {
        return summaries("", List.of());
    }

    /**
     * The named conversations, as {@link #list()} gives them, in its order; an id with no
     * conversation is left out. A window that knows which conversations a new message touched
     * reads these rather than the whole list.
     */
    public List<ConversationSummary> list(Collection<Long> ids) throws StoreException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return summaries(" WHERE c.id IN (" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")",
                List.copyOf(ids));
    }

    private List<ConversationSummary> summaries(String where, List<Long> ids) throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        FieldCipher.Column body = context.column(MessageDao.TABLE, "body");
        return context.database().read(connection -> {
            String sql = "SELECT m.id, m.conversation_id, m.uid_index, m.status, m.body,"
                            + " c.id, c.peer_index, c.data, c.message_count, c.unread"
                            + " FROM conversations c LEFT JOIN messages m ON m.id = c.last_message_id" + where
                            + " ORDER BY c.last_message_id DESC, c.id DESC";
            // the whole list's statement is kept; one per number of ids would fill the cache
            PreparedStatement st = ids.isEmpty() ? context.database().statement(sql) : connection.prepareStatement(sql);
            List<ConversationSummary> out = new ArrayList<>();
            try {
                for (int i = 0; i < ids.size(); i++) {
                    st.setLong(i + 1, ids.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Optional<StoredMessage> last = rs.getObject(1) == null
                                ? Optional.empty() : Optional.of(MessageDao.read(rs, body));
                        long id = rs.getLong(6);
                        String peer = null;
                        try {
                            peer = new String(data.open(id, rs.getBytes(7), rs.getBytes(8)), StandardCharsets.UTF_8);
                        } catch (IntegrityException e) {
                            // flagged below; the conversation still shows, marked damaged
                        }
                        out.add(new ConversationSummary(id, peer, rs.getLong(9), rs.getLong(10), last, peer == null));
                    }
                }
            } finally {
                if (!ids.isEmpty()) {
                    st.close();
                }
            }
            return out;
        });
    }

    /** The peer of a conversation. */
    public String peer(long id) throws StoreException {
        FieldCipher.Column data = context.column(TABLE, "data");
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT peer_index, data FROM conversations WHERE id = ?");
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no conversation " + id);
                }
                return new String(data.open(id, rs.getBytes(1), rs.getBytes(2)), StandardCharsets.UTF_8);
            }
        });
    }

    /**
     * Sets the conversation's unread count to the number of its messages still unread, after some
     * (not necessarily all) of them changed status in the caller's transaction.
     */
    public void recountUnread(long id) throws StoreException {
        context.database().transaction(connection -> {
            PreparedStatement st = context.database().statement("UPDATE conversations SET unread ="
                    + " (SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND status = ?) WHERE id = ?");
            st.setLong(1, id);
            st.setInt(2, MessageStatus.UNREAD.code());
            st.setLong(3, id);
            st.executeUpdate();
            return null;
        });
    }

    /** Marks every unread message of the conversation read. */
    public void markRead(long id) throws StoreException {
        context.database().transaction(connection -> {
            PreparedStatement messages = context.database().statement(
                    "UPDATE messages SET status = ? WHERE conversation_id = ? AND status = ?");
            messages.setInt(1, MessageStatus.READ.code());
            messages.setLong(2, id);
            messages.setInt(3, MessageStatus.UNREAD.code());
            messages.executeUpdate();
            PreparedStatement conversation = context.database().statement("UPDATE conversations SET unread = 0 WHERE id = ?");
            conversation.setLong(1, id);
            conversation.executeUpdate();
            return null;
        });
    }
}
