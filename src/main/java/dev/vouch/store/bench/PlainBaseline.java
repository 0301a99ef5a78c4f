package dev.vouch.store.bench;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.store.model.MessageBody;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The same tables without encryption, with the same pragmas and indexes: the baseline every
 * store figure is compared with. Bench-only; Vouch never stores plaintext like this.
 */
final class PlainBaseline implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement touchConversation;
    private final PreparedStatement page;

    private PlainBaseline(Connection connection) throws SQLException {
        this.connection = connection;
        this.insert = connection.prepareStatement(
                "INSERT INTO messages (id, conversation_id, uid, status, body) VALUES (?, ?, ?, ?, ?)");
        this.touchConversation = connection.prepareStatement(
                "UPDATE conversations SET last_message_id = ?, message_count = message_count + 1 WHERE id = ?");
        this.page = connection.prepareStatement(
                "SELECT id, conversation_id, uid, status, body FROM messages WHERE conversation_id = ? AND id < ?"
                        + " ORDER BY id DESC LIMIT ?");
    }

    static PlainBaseline create(Path file, int conversations, SyntheticHistory history) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            pragmas(st);
            st.execute("CREATE TABLE conversations (id INTEGER PRIMARY KEY, peer TEXT NOT NULL UNIQUE,"
                    + " last_message_id INTEGER NOT NULL DEFAULT 0, message_count INTEGER NOT NULL DEFAULT 0,"
                    + " unread INTEGER NOT NULL DEFAULT 0)");
            st.execute("CREATE INDEX conversations_by_activity ON conversations (last_message_id)");
            st.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL,"
                    + " uid BLOB NOT NULL UNIQUE, status INTEGER NOT NULL, body BLOB NOT NULL)");
            st.execute("CREATE INDEX messages_by_conversation ON messages (conversation_id, id)");
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO conversations (id, peer) VALUES (?, ?)")) {
            for (int i = 0; i < conversations; i++) {
                st.setLong(1, i + 1L);
                st.setString(2, history.peer(i));
                st.executeUpdate();
            }
        }
        return new PlainBaseline(c);
    }

    static PlainBaseline open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            pragmas(st);
        }
        return new PlainBaseline(c);
    }

    private static void pragmas(Statement st) throws SQLException {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA temp_store=MEMORY");
        st.execute("PRAGMA cache_size=-16384");
    }

    record Row(long id, long conversationId, byte[] uid, int status, MessageBody body) {
    }

    void insertBatch(List<Row> rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
        }
        for (Row row : rows) {
            insert.setLong(1, row.id());
            insert.setLong(2, row.conversationId());
            insert.setBytes(3, row.uid());
            insert.setInt(4, row.status());
            insert.setBytes(5, row.body().encode());
            insert.executeUpdate();
            touchConversation.setLong(1, row.id());
            touchConversation.setLong(2, row.conversationId());
            touchConversation.executeUpdate();
        }
        try (Statement st = connection.createStatement()) {
            st.execute("COMMIT");
        }
    }

    List<MessageBody> page(long conversationId, long beforeId, int limit) throws SQLException, MalformedDataException {
        page.setLong(1, conversationId);
        page.setLong(2, beforeId);
        page.setInt(3, limit);
        List<MessageBody> out = new ArrayList<>(limit);
        try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
                out.add(MessageBody.decode(rs.getBytes(5)));
            }
        }
        return out;
    }

    void checkpoint() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        touchConversation.close();
        page.close();
        connection.close();
    }
}
