package dev.vouch.store.search;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.store.StoreContext;
import dev.vouch.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The sealed snapshot of the search index in table {@code search_snapshot}: the serialized index,
 * prefixed with its length and zero-padded to whole chunks, cut into chunks of equal size, each
 * sealed with AES-256-GCM under the store's search key. Row layout:
 *
 * <pre>
 * u8 format (1) | 16-byte snapshot id | u32 chunk index | u32 chunk count | u32 chunk size
 * | u64 highest message id covered | 12-byte nonce | ciphertext (chunk size) | 16-byte tag
 * </pre>
 *
 * The associated data of every chunk is a label, that whole header, and the blind uid index of
 * the message row with the covered id as it is in the table when the snapshot is read. So a chunk
 * moved to another position, dropped, or taken from another snapshot, a changed header, and a
 * snapshot put next to a messages table where that row is missing or different (a rolled-back
 * or swapped table) all fail authentication. Every row has the same size: only the number of
 * chunks shows, which reveals the index size to within a chunk.
 */
final class SnapshotStore {
    static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    static final int MAX_CHUNK_SIZE = 16 << 20;
    private static final int FORMAT = 1;
    private static final int HEADER = 1 + 16 + 4 + 4 + 4 + 8;
    private static final byte[] LABEL = "Vouch search snapshot v1\0".getBytes(StandardCharsets.US_ASCII);

    private final StoreContext context;
    private final int chunkSize;

    SnapshotStore(StoreContext context, int chunkSize) {
        if (chunkSize < 64 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size out of range");
        }
        this.context = context;
        this.chunkSize = chunkSize;
    }

    /** A snapshot that must not be used; the reason is for diagnostics only. */
    static final class RejectedException extends Exception {
        RejectedException(String reason) {
            super(reason);
        }
    }

    /** Starts a plaintext buffer for {@link SearchIndex#writeTo}, with room for the length prefix. */
    static Bytes newPlaintext(int capacity) {
        Bytes out = new Bytes(capacity + 8);
        out.write(new byte[8], 0, 8);
        return out;
    }

    /**
     * Seals {@code plaintext} (from {@link #newPlaintext}, then the index) and replaces the
     * stored snapshot in one transaction. Pads and then wipes the buffer.
     *
     * @throws CancellationException when {@code stillWanted} turns false (nothing is changed)
     */
    void save(Bytes plaintext, long covered, BooleanSupplier stillWanted) throws StoreException {
        long length = plaintext.size() - 8L;
        ByteBuffer.wrap(plaintext.array(), 0, 8).putLong(length);
        int chunks = (int) ((plaintext.size() + (long) chunkSize - 1) / chunkSize);
        long padded = (long) chunks * chunkSize;
        while (plaintext.size() < padded) {
            plaintext.write(new byte[(int) Math.min(4096, padded - plaintext.size())], 0,
                    (int) Math.min(4096, padded - plaintext.size()));
        }
        byte[] snapshotId = CryptoRandom.bytes(16);
        byte[] key = context.keys().searchKey();
        try {
            context.database().transaction(connection -> {
                byte[] binding = uidIndexOf(covered);
                context.database().statement("DELETE FROM search_snapshot").executeUpdate();
                PreparedStatement insert = context.database().statement(
                        "INSERT INTO search_snapshot (id, data) VALUES (?, ?)");
                for (int i = 0; i < chunks; i++) {
                    if (!stillWanted.getAsBoolean()) {
                        throw new CancellationException("the store locked");
                    }
                    byte[] header = header(snapshotId, i, chunks, covered);
                    byte[] nonce = CryptoRandom.bytes(AesGcm.NONCE_LENGTH);
                    byte[] chunk = Arrays.copyOfRange(plaintext.array(), i * chunkSize, (i + 1) * chunkSize);
                    byte[] sealed;
                    try {
                        sealed = AesGcm.encrypt(key, nonce, chunk, aad(header, binding));
                    } catch (InvalidKeyMaterialException e) {
                        throw new IllegalStateException("search key has a wrong length", e);
                    } finally {
                        Arrays.fill(chunk, (byte) 0);
                    }
                    byte[] row = new byte[HEADER + AesGcm.NONCE_LENGTH + sealed.length];
                    System.arraycopy(header, 0, row, 0, HEADER);
                    System.arraycopy(nonce, 0, row, HEADER, AesGcm.NONCE_LENGTH);
                    System.arraycopy(sealed, 0, row, HEADER + AesGcm.NONCE_LENGTH, sealed.length);
                    insert.setLong(1, i + 1L);
                    insert.setBytes(2, row);
                    insert.executeUpdate();
                }
                return null;
            });
        } finally {
            Arrays.fill(key, (byte) 0);
            plaintext.wipe();
        }
    }

    /**
     * Reads, authenticates and parses the stored snapshot; empty when there is none.
     *
     * @throws RejectedException when any chunk is missing, out of place, from another snapshot,
     *     fails authentication, or the index inside does not parse
     */
    Optional<SearchIndex> load() throws StoreException, RejectedException {
        int rows = chunkCount();
        if (rows == 0) {
            return Optional.empty();
        }
        ByteBuffer first = headerOf(row(0));
        first.get();
        byte[] snapshotId = new byte[16];
        first.get(snapshotId);
        first.getInt();
        int chunks = first.getInt();
        int size = first.getInt();
        long covered = first.getLong();
        if (chunks != rows) {
            throw new RejectedException("snapshot has " + rows + " chunks, expected " + chunks);
        }
        if (size < 64 || size > MAX_CHUNK_SIZE || (long) chunks * size > Integer.MAX_VALUE - 16) {
            throw new RejectedException("implausible chunk size");
        }
        byte[] binding = context.database().read(connection -> uidIndexOf(covered));
        byte[] plain = new byte[chunks * size];
        byte[] key = context.keys().searchKey();
        try {
            for (int i = 0; i < chunks; i++) {
                byte[] row = row(i);
                if (row == null || row.length < HEADER) {
                    throw new RejectedException("chunk " + i + " is missing");
                }
                byte[] header = Arrays.copyOf(row, HEADER);
                if (!Arrays.equals(header, 0, HEADER, header(snapshotId, i, chunks, covered, size), 0, HEADER)) {
                    throw new RejectedException("chunk " + i + " is out of place or from another snapshot");
                }
                if (row.length != HEADER + AesGcm.NONCE_LENGTH + size + AesGcm.TAG_LENGTH) {
                    throw new RejectedException("chunk " + i + " has a wrong length");
                }
                byte[] nonce = Arrays.copyOfRange(row, HEADER, HEADER + AesGcm.NONCE_LENGTH);
                byte[] body = Arrays.copyOfRange(row, HEADER + AesGcm.NONCE_LENGTH, row.length);
                byte[] chunk;
                try {
                    chunk = AesGcm.decrypt(key, nonce, body, aad(header, binding));
                } catch (AuthenticationFailedException | InvalidKeyMaterialException e) {
                    throw new RejectedException("chunk " + i + " fails authentication");
                }
                System.arraycopy(chunk, 0, plain, i * size, size);
                Arrays.fill(chunk, (byte) 0);
            }
            long length = ByteBuffer.wrap(plain, 0, 8).getLong();
            if (length < 0 || length > plain.length - 8L) {
                throw new RejectedException("index length out of range");
            }
            SearchIndex index = SearchIndex.readFrom(plain, 8, 8 + (int) length);
            if (index.coveredUpTo() != covered) {
                throw new RejectedException("index covers another range than its header");
            }
            return Optional.of(index);
        } catch (MalformedSnapshotException e) {
            throw new RejectedException("index does not parse: " + e.getMessage());
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The row of chunk {@code index} (chunks are rows 1..count), or null. */
    private byte[] row(int index) throws StoreException {
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT data FROM search_snapshot WHERE id = ?");
            st.setLong(1, index + 1L);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    /** Deletes the stored snapshot (e.g. one that was rejected). */
    void clear() throws StoreException {
        context.database().transaction(connection -> {
            context.database().statement("DELETE FROM search_snapshot").executeUpdate();
            return null;
        });
    }

    /** Number of stored chunks. */
    int chunkCount() throws StoreException {
        return context.database().read(connection -> {
            try (ResultSet rs = context.database().statement("SELECT COUNT(*) FROM search_snapshot").executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Messages stored after {@code id} (the work left for a catch-up; for progress only). */
    long messagesAfter(long id) throws StoreException {
        return context.database().read(connection -> {
            PreparedStatement st = context.database().statement("SELECT COUNT(*) FROM messages WHERE id > ?");
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private byte[] uidIndexOf(long messageId) throws java.sql.SQLException {
        PreparedStatement st = context.database().statement("SELECT uid_index FROM messages WHERE id = ?");
        st.setLong(1, messageId);
        try (ResultSet rs = st.executeQuery()) {
            byte[] uid = rs.next() ? rs.getBytes(1) : null;
            return uid == null ? new byte[0] : uid;
        }
    }

    private static ByteBuffer headerOf(byte[] row) throws RejectedException {
        if (row == null || row.length < HEADER || row[0] != FORMAT) {
            throw new RejectedException("unknown snapshot format");
        }
        return ByteBuffer.wrap(row, 0, HEADER);
    }

    private byte[] header(byte[] snapshotId, int index, int count, long covered) {
        return header(snapshotId, index, count, covered, chunkSize);
    }

    private static byte[] header(byte[] snapshotId, int index, int count, long covered, int size) {
        return ByteBuffer.allocate(HEADER).put((byte) FORMAT).put(snapshotId).putInt(index).putInt(count)
                .putInt(size).putLong(covered).array();
    }

    private static byte[] aad(byte[] header, byte[] binding) {
        return ByteBuffer.allocate(LABEL.length + HEADER + binding.length).put(LABEL).put(header).put(binding).array();
    }
}
