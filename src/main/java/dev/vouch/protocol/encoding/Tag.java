package dev.vouch.protocol.encoding;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;

/**
 * The two-byte prefix of every Vouch encoding: a format version, then a type code from this one
 * registry. A decoder refuses an unknown version or type, and a known type where another was
 * expected, before it reads anything else. New formats get new codes; codes are never reused.
 */
public enum Tag {
    // public keys
    ACCOUNT_IDENTITY_KEY(0x01),
    DEVICE_IDENTITY_KEY(0x02),
    SIGNED_PREKEY(0x03),
    ONE_TIME_PREKEY(0x04),
    KEM_PREKEY(0x05),
    // private key records (local storage only)
    ACCOUNT_IDENTITY_PRIVATE(0x11),
    DEVICE_IDENTITY_PRIVATE(0x12),
    SIGNED_PREKEY_PRIVATE(0x13),
    ONE_TIME_PREKEY_PRIVATE(0x14),
    KEM_PREKEY_PRIVATE(0x15),
    // structures
    PREKEY_BUNDLE(0x21),
    RATCHET_MESSAGE(0x22),
    PREKEY_MESSAGE(0x23),
    SESSION_RECORD(0x24),
    // sealed sender (protocol.sealed)
    SEALED_ENVELOPE(0x25),
    SEALED_CONTENT(0x26),
    // an account's device list, signed by its account key (protocol.keys.SignedDeviceList)
    SIGNED_DEVICE_LIST(0x27),
    // key transparency log (transparency.merkle, transparency.log)
    TREE_HEAD(0x31),
    SIGNED_TREE_HEAD(0x32),
    LOG_ENTRY(0x33),
    INCLUSION_PROOF(0x34),
    CONSISTENCY_PROOF(0x35);

    /** The only format version this build writes and reads. */
    public static final int VERSION = 1;
    private static final Tag[] BY_CODE = new Tag[256];

    static {
        for (Tag t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    Tag(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Starts an encoding of this type. */
    public ByteWriter writer(int expectedSize) {
        return new ByteWriter(expectedSize + 2).u8(VERSION).u8(code);
    }

    /** Starts an encoding of this type whose total length, prefix included, is exactly {@code totalSize}. */
    public ByteWriter exactWriter(int totalSize) {
        return ByteWriter.exact(totalSize).u8(VERSION).u8(code);
    }

    /** Reads the prefix of {@code data} and returns what it names; refuses unknown versions and types. */
    public static Tag peek(byte[] data) throws MalformedDataException {
        if (data == null || data.length < 2) {
            throw new MalformedDataException("encoding too short for its version and type");
        }
        if ((data[0] & 0xFF) != VERSION) {
            throw new UnknownTypeException("unknown encoding version " + (data[0] & 0xFF));
        }
        Tag tag = BY_CODE[data[1] & 0xFF];
        if (tag == null) {
            throw new UnknownTypeException("unknown type code 0x" + Integer.toHexString(data[1] & 0xFF));
        }
        return tag;
    }

    /** A reader positioned after the prefix, which must name this type. */
    public ByteReader reader(byte[] data) throws MalformedDataException {
        Tag actual = peek(data);
        if (actual != this) {
            throw new UnknownTypeException("expected " + this + " but found " + actual);
        }
        ByteReader reader = new ByteReader(data, name());
        reader.skip(2);
        return reader;
    }
}
