package dev.vouch.store.sqlite;

import dev.vouch.store.IncompatibleStoreException;
import dev.vouch.store.NotAStoreException;
import dev.vouch.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * One SQLite database file with one connection. SQLite allows a single writer, so all access is
 * serialized by one lock, and {@link #transaction} is the only way to write.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a commit that returned is on disk
 * even after a power cut; messages are acknowledged to the relay only after their commit.
 */
public final class Database implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private int depth;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (or with {@code create}, creates) the database and brings its schema up to date.
     *
     * @throws NotAStoreException the file is missing, not SQLite, truncated or corrupt
     * @throws IncompatibleStoreException the schema is newer than this build knows
     */
    public static Database open(Path file, boolean create, Migrations migrations) throws StoreException {
        boolean exists = Files.exists(file);
        if (!exists && !create) {
            throw new NotAStoreException("no store at " + file);
        }
        if (exists) {
            checkHeader(file);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(exists ? SQLiteOpenMode.READWRITE : SQLiteOpenMode.READWRITE);
        if (!exists) {
            config.setOpenMode(SQLiteOpenMode.CREATE);
        }
        config.setBusyTimeout(10_000);
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw classify(file, e);
        }
        Database db = new Database(file, connection);
        try {
            int version = db.userVersion();
            if (version > migrations.latest()) {
                throw new IncompatibleStoreException(version, migrations.latest());
            }
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                // macOS: fsync() leaves data in the drive's cache; F_FULLFSYNC makes a commit survive a power cut
                // there too. Ignored where the OS has no F_FULLFSYNC (Linux, Windows).
                st.execute("PRAGMA fullfsync=ON");
                st.execute("PRAGMA foreign_keys=ON");
                // Deleted rows are overwritten, so removed messages do not linger in free pages.
                st.execute("PRAGMA secure_delete=ON");
                st.execute("PRAGMA temp_store=MEMORY");
                st.execute("PRAGMA cache_size=-16384");
            }
            migrations.apply(db, version);
            return db;
        } catch (StoreException | RuntimeException e) {
            db.closeQuietly();
            throw e;
        } catch (SQLException e) {
            db.closeQuietly();
            throw classify(file, e);
        }
    }

    /**
     * A second connection to a database that {@link #open} has opened and migrated, for reading
     * only, with its own lock: in WAL mode it reads the last committed state while the writing
     * connection commits, so reads do not wait for the writer's {@code fsync}. Its
     * {@link #transaction} fails; use {@link #read}.
     */
    public static Database openReader(Path file) throws StoreException {
        if (!Files.exists(file)) {
            throw new NotAStoreException("no store at " + file);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw classify(file, e);
        }
        Database db = new Database(file, connection);
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA query_only=ON");
            st.execute("PRAGMA temp_store=MEMORY");
            st.execute("PRAGMA cache_size=-16384");
            return db;
        } catch (SQLException e) {
            db.closeQuietly();
            throw classify(file, e);
        }
    }

    /** Refuses files that are not SQLite or are shorter than their own header says, before SQLite touches them. */
    private static void checkHeader(Path file) throws NotAStoreException {
        byte[] header = new byte[100];
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            int read = in.readNBytes(header, 0, header.length);
            if (read < header.length) {
                throw new NotAStoreException(file + " is not a Vouch store (too short to be a database)");
            }
        } catch (IOException e) {
            throw new NotAStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(Arrays.copyOf(header, 16), SQLITE_MAGIC)) {
            throw new NotAStoreException(file + " is not a Vouch store (not an SQLite database)");
        }
        int pageSize = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        long realPageSize = pageSize == 1 ? 65536 : pageSize;
        long pageCount = ((header[28] & 0xFFL) << 24) | ((header[29] & 0xFFL) << 16)
                | ((header[30] & 0xFFL) << 8) | (header[31] & 0xFFL);
        boolean sizeValid = Arrays.equals(Arrays.copyOfRange(header, 24, 28), Arrays.copyOfRange(header, 92, 96));
        if (sizeValid && pageCount > 0 && size < realPageSize * pageCount) {
            throw new NotAStoreException(file + " is truncated: " + size + " bytes of "
                    + realPageSize * pageCount + " expected");
        }
    }

    static StoreException classify(Path file, SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT
                    || code == SQLiteErrorCode.SQLITE_CANTOPEN) {
                return new NotAStoreException(file + " cannot be opened as a Vouch store: " + code.message, e);
            }
        }
        return new StoreException("database error in " + file.getFileName() + ": " + e.getMessage(), e);
    }

    public Path file() {
        return file;
    }

    int userVersion() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Work that reads or writes through the connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException, StoreException;
    }

    /**
     * Runs {@code work} in a write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back if it
     * throws. A nested call joins the outer transaction.
     */
    public <T> T transaction(SqlWork<T> work) throws StoreException {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    throw classify(file, e);
                } finally {
                    depth--;
                }
            }
            try (Statement st = connection.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                throw classify(file, e);
            }
            depth = 1;
            boolean committed = false;
            try {
                T result = work.run(connection);
                try (Statement st = connection.createStatement()) {
                    st.execute("COMMIT");
                }
                committed = true;
                depth = 0;
                runAfterCommit();
                return result;
            } catch (SQLException e) {
                throw classify(file, e);
            } finally {
                depth = 0;
                afterCommit.clear();
                if (!committed) {
                    rollbackQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} once the current transaction has committed, still under the database
     * lock, so actions of successive transactions run in commit order; a transaction that rolls
     * back drops its actions. An action's exception goes to the thread's uncaught-exception
     * handler: the commit has happened and is not reported as failed.
     *
     * @throws IllegalStateException outside {@link #transaction}
     */
    public void afterCommit(Runnable action) {
        if (!inTransaction()) {
            throw new IllegalStateException("afterCommit is only valid inside a transaction");
        }
        afterCommit.add(action);
    }

    private void runAfterCommit() {
        List<Runnable> actions = List.copyOf(afterCommit);
        afterCommit.clear();
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            }
        }
    }

    /** Runs read-only work under the lock (inside the current transaction if one is open). */
    public <T> T read(SqlWork<T> work) throws StoreException {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw classify(file, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A prepared statement cached for the life of the connection (preparing is a large part of a
     * small query's cost). Only valid while the caller holds the lock, i.e. inside
     * {@link #transaction} or {@link #read}; callers must not close it.
     */
    public PreparedStatement statement(String sql) throws SQLException {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("statements are only handed out under the database lock");
        }
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        }
        st.clearParameters();
        return st;
    }

    /** Whether the calling thread is inside {@link #transaction}. */
    public boolean inTransaction() {
        return lock.isHeldByCurrentThread() && depth > 0;
    }

    private void rollbackQuietly() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // The transaction may already have been rolled back by SQLite itself (e.g. after SQLITE_FULL).
        }
    }

    private void closeQuietly() {
        for (PreparedStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing after a failed open: nothing more to report than the original failure
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException ignored) {
                // best effort: the WAL is replayed on the next open anyway
            }
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }
}
