package dev.vouch.transparency.log;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.transparency.merkle.MerkleHash;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One leaf of the log: the binding of a handle to its account key and device list at a version.
 * The relay appends one at every registration, account-key change and device-list change; the
 * leaf data is this encoding:
 *
 * <pre>
 *   01 33 | u8 handle length | handle (UTF-8, 1 to 64 bytes) | account identity key encoding (34)
 *         | device-list hash (32) | u64 version
 * </pre>
 *
 * The handle is stored as given (the relay normalizes handles before it logs them); the version
 * is at most 2^63 - 1.
 */
public record LogEntry(String handle, AccountIdentityKey accountKey, byte[] deviceListHash, long version) {
    public static final int MAX_HANDLE_BYTES = 64;
    public static final int DEVICE_LIST_HASH_LENGTH = 32;
    private static final int FIXED_LENGTH = 2 + 1 + AccountIdentityKey.SERIALIZED_LENGTH + DEVICE_LIST_HASH_LENGTH + 8;

    public LogEntry {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(accountKey, "accountKey");
        int length = utf8(handle).length;
        if (length < 1 || length > MAX_HANDLE_BYTES) {
            throw new IllegalArgumentException("handle must be 1.." + MAX_HANDLE_BYTES + " bytes of UTF-8");
        }
        if (deviceListHash == null || deviceListHash.length != DEVICE_LIST_HASH_LENGTH) {
            throw new IllegalArgumentException("device-list hash must be " + DEVICE_LIST_HASH_LENGTH + " bytes");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be between 0 and 2^63 - 1");
        }
        deviceListHash = deviceListHash.clone();
    }

    @Override
    public byte[] deviceListHash() {
        return deviceListHash.clone();
    }

    /** The leaf data: this entry's encoding. */
    public byte[] serialize() {
        byte[] handleBytes = utf8(handle);
        return Tag.LOG_ENTRY.exactWriter(FIXED_LENGTH + handleBytes.length)
                .u8(handleBytes.length).fixed(handleBytes)
                .fixed(accountKey.serialize())
                .fixed(deviceListHash)
                .u64(version)
                .toByteArray();
    }

    /** The leaf hash the log's tree holds for this entry. */
    public byte[] leafHash() {
        return MerkleHash.leafHash(serialize());
    }

    /** Reads an entry, refusing a handle that is empty, too long or not UTF-8, a bad key, a version beyond 2^63 - 1 and trailing bytes. */
    public static LogEntry decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.LOG_ENTRY.reader(data);
        int handleLength = r.u8();
        if (handleLength < 1 || handleLength > MAX_HANDLE_BYTES) {
            throw new MalformedDataException("log entry: handle length " + handleLength + " out of range");
        }
        String handle = utf8(r.fixed(handleLength));
        AccountIdentityKey key = AccountIdentityKey.decode(r.fixed(AccountIdentityKey.SERIALIZED_LENGTH));
        byte[] deviceListHash = r.fixed(DEVICE_LIST_HASH_LENGTH);
        long version = r.u64();
        r.end();
        if (version < 0) {
            throw new MalformedDataException("log entry: version " + Long.toUnsignedString(version) + " exceeds 2^63 - 1");
        }
        return new LogEntry(handle, key, deviceListHash, version);
    }

    private static byte[] utf8(String text) {
        try {
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return Arrays.copyOf(out.array(), out.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("handle is not valid Unicode (unpaired surrogate)", e);
        }
    }

    private static String utf8(byte[] bytes) throws MalformedDataException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDataException("log entry: handle is not valid UTF-8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && e.handle.equals(handle) && e.accountKey.equals(accountKey)
                && Arrays.equals(e.deviceListHash, deviceListHash) && e.version == version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(handle, accountKey, version) * 31 + Arrays.hashCode(deviceListHash);
    }

    @Override
    public String toString() {
        return "LogEntry[" + handle + ", " + accountKey + ", devices " + HexFormat.of().formatHex(deviceListHash, 0, 4)
                + "…, version " + version + "]";
    }
}
