package dev.vouch.protocol.sealed;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The plaintext of a sealed envelope's layer 2: the sender certificate, the content type and the
 * inner message. Layout after the prefix: u8 content type, u8 handle length, the handle's UTF-8 in
 * a 64-byte slot filled with zeros, u32 device id, the sender's device identity key body (64), u32
 * length and the inner bytes.
 */
public final class SealedContent {
    /** A padded 1 MiB message wrapped as a prekey message, with room to spare. */
    public static final int MAX_INNER = (1 << 20) + 2048;
    static final int FIXED_LENGTH = 2 + 1 + SenderCertificate.MAX_HANDLE_BYTES + 4 + 64 + 1 + 4;
    public static final int MAX_LENGTH = FIXED_LENGTH + MAX_INNER;

    private final SenderCertificate sender;
    private final ContentType type;
    private final byte[] inner;

    public SealedContent(SenderCertificate sender, ContentType type, byte[] inner) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.type = Objects.requireNonNull(type, "type");
        if (inner == null || inner.length == 0 || inner.length > MAX_INNER) {
            throw new IllegalArgumentException("inner message must be 1.." + MAX_INNER + " bytes");
        }
        this.inner = inner.clone();
    }

    public SenderCertificate sender() {
        return sender;
    }

    public ContentType type() {
        return type;
    }

    public byte[] inner() {
        return inner.clone();
    }

    public byte[] serialize() {
        byte[] handle = sender.handle().getBytes(StandardCharsets.UTF_8);
        byte[] slot = Arrays.copyOf(handle, SenderCertificate.MAX_HANDLE_BYTES);
        byte[] identity = sender.identityKey().serialize();
        return Tag.SEALED_CONTENT.writer(FIXED_LENGTH + inner.length)
                .u8(type.code())
                .u8(handle.length).fixed(slot)
                .u32(sender.deviceId())
                .fixed(Arrays.copyOfRange(identity, 2, identity.length))
                .bytes(inner)
                .toByteArray();
    }

    /** Refuses anything but the canonical encoding: unused handle bytes must be zero, the handle valid UTF-8. */
    public static SealedContent decode(byte[] data) throws MalformedDataException {
        if (data != null && data.length > MAX_LENGTH) {
            throw new MalformedDataException("sealed content of " + data.length + " bytes is too large");
        }
        ByteReader r = Tag.SEALED_CONTENT.reader(data);
        ContentType type = ContentType.of(r.u8());
        int handleLength = r.u8();
        byte[] slot = r.fixed(SenderCertificate.MAX_HANDLE_BYTES);
        if (handleLength < 1 || handleLength > SenderCertificate.MAX_HANDLE_BYTES) {
            throw new MalformedDataException("sealed content: handle length " + handleLength + " out of range");
        }
        for (int i = handleLength; i < slot.length; i++) {
            if (slot[i] != 0) {
                throw new MalformedDataException("sealed content: handle slot not zero-filled");
            }
        }
        String handle = utf8(Arrays.copyOf(slot, handleLength));
        int deviceId = r.u32(1, Integer.MAX_VALUE);
        DeviceIdentityKey identity = DeviceIdentityKey.decode(
                Tag.DEVICE_IDENTITY_KEY.writer(64).fixed(r.fixed(64)).toByteArray());
        byte[] inner = r.bytes(MAX_INNER);
        r.end();
        if (inner.length == 0) {
            throw new MalformedDataException("sealed content: empty inner message");
        }
        return new SealedContent(new SenderCertificate(handle, deviceId, identity), type, inner);
    }

    private static String utf8(byte[] bytes) throws MalformedDataException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDataException("sealed content: handle is not valid UTF-8");
        }
    }
}
