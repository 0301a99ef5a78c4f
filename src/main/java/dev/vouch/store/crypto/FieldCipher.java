package dev.vouch.store.crypto;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.store.IntegrityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seals column values with AES-256-GCM. The associated data binds each value to its table,
 * column, row id and the row's lookup key (its blind index, or its conversation for a message),
 * so a value copied to another row or column, or a row whose lookup key was swapped, fails
 * authentication. Layout: 12-byte random nonce, ciphertext, 16-byte tag.
 */
public final class FieldCipher {
    public static final int OVERHEAD = AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;
    private static final byte[] NO_BINDING = new byte[0];

    private final StoreKeys keys;
    private final Map<String, Column> columns = new ConcurrentHashMap<>();

    FieldCipher(StoreKeys keys) {
        this.keys = keys;
    }

    /** One column's sealer. */
    public Column column(String table, String column) {
        return columns.computeIfAbsent(table + "." + column, k -> new Column(table, column));
    }

    public final class Column {
        private final String table;
        private final String column;
        private final byte[] label;

        private Column(String table, String column) {
            this.table = table;
            this.column = column;
            this.label = ("Vouch store v1\0" + table + "\0" + column + "\0").getBytes(StandardCharsets.UTF_8);
        }

        public byte[] seal(long rowId, byte[] plaintext) {
            return seal(rowId, NO_BINDING, plaintext);
        }

        public byte[] seal(long rowId, byte[] binding, byte[] plaintext) {
            byte[] nonce = CryptoRandom.bytes(AesGcm.NONCE_LENGTH);
            byte[] sealed;
            try {
                sealed = AesGcm.encrypt(keys.fieldKey(), nonce, plaintext, associatedData(rowId, binding));
            } catch (InvalidKeyMaterialException e) {
                throw new IllegalStateException("field key has a wrong length", e);
            }
            byte[] out = Arrays.copyOf(nonce, AesGcm.NONCE_LENGTH + sealed.length);
            System.arraycopy(sealed, 0, out, AesGcm.NONCE_LENGTH, sealed.length);
            return out;
        }

        public byte[] open(long rowId, byte[] sealed) throws IntegrityException {
            return open(rowId, NO_BINDING, sealed);
        }

        /** @throws IntegrityException naming this table, column and row when the value fails authentication */
        public byte[] open(long rowId, byte[] binding, byte[] sealed) throws IntegrityException {
            if (sealed == null || sealed.length < OVERHEAD) {
                throw new IntegrityException(table, column, rowId);
            }
            byte[] nonce = Arrays.copyOf(sealed, AesGcm.NONCE_LENGTH);
            byte[] body = Arrays.copyOfRange(sealed, AesGcm.NONCE_LENGTH, sealed.length);
            try {
                return AesGcm.decrypt(keys.fieldKey(), nonce, body, associatedData(rowId, binding));
            } catch (AuthenticationFailedException | InvalidKeyMaterialException e) {
                throw new IntegrityException(table, column, rowId);
            }
        }

        private byte[] associatedData(long rowId, byte[] binding) {
            return ByteBuffer.allocate(label.length + 8 + binding.length)
                    .put(label).putLong(rowId).put(binding).array();
        }
    }
}
