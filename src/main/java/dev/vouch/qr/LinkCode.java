package dev.vouch.qr;

import dev.vouch.qr.QrPayloadException.Reason;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a new device shows to be linked to an account (docs/qr-payload.md, "Link codes"): its
 * device identity key, a fresh X25519 key and a one-time secret for the provisioning channel, the
 * time the code expires, the relay it waits on, and the name it suggests for itself. The keys are
 * opaque bytes here; {@code service} decodes them.
 *
 * <p>Text form, version 1: {@code VOUCHLINK1:} and the Base45 of
 * {@code ephemeral(32) || secret(16) || expiresAt(u64 ms) || u8 n || deviceKey(n) || u16 n || invite(UTF-8)
 * || u8 n || name(UTF-8)}. Decoding is strict, so {@code decode(s).encode().equals(s)}.
 */
public record LinkCode(byte[] ephemeralKey, byte[] secret, Instant expiresAt, byte[] deviceKey, String invite,
                       String name) {
    public static final int VERSION = 1;
    public static final int EPHEMERAL_LENGTH = 32;
    public static final int SECRET_LENGTH = 16;
    public static final int MAX_DEVICE_KEY = 128;
    public static final int MAX_INVITE_BYTES = 1024;
    public static final int MAX_NAME_BYTES = 64;

    private static final String PREFIX = "VOUCHLINK";
    private static final Pattern HEADER = Pattern.compile(PREFIX + "([0-9]+):");

    public LinkCode {
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(invite, "invite");
        Objects.requireNonNull(name, "name");
        if (ephemeralKey == null || ephemeralKey.length != EPHEMERAL_LENGTH) {
            throw new IllegalArgumentException("the ephemeral key must be " + EPHEMERAL_LENGTH + " bytes");
        }
        if (secret == null || secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret must be " + SECRET_LENGTH + " bytes");
        }
        if (deviceKey == null || deviceKey.length < 1 || deviceKey.length > MAX_DEVICE_KEY) {
            throw new IllegalArgumentException("the device key must be 1.." + MAX_DEVICE_KEY + " bytes");
        }
        int inviteBytes = invite.getBytes(StandardCharsets.UTF_8).length;
        if (inviteBytes < 1 || inviteBytes > MAX_INVITE_BYTES) {
            throw new IllegalArgumentException("the invite must be 1.." + MAX_INVITE_BYTES + " bytes");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES
                || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the name must be at most " + MAX_NAME_BYTES
                    + " bytes of UTF-8 without control characters");
        }
        if (expiresAt.toEpochMilli() < 0) {
            throw new IllegalArgumentException("the expiry time must not be before 1970");
        }
        ephemeralKey = ephemeralKey.clone();
        secret = secret.clone();
        deviceKey = deviceKey.clone();
    }

    /** The text to show and to put in the QR code: {@code VOUCHLINK1:} and the Base45 body. */
    public String encode() {
        byte[] inviteBytes = invite.getBytes(StandardCharsets.UTF_8);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(EPHEMERAL_LENGTH + SECRET_LENGTH + 8 + 1 + deviceKey.length + 2
                + inviteBytes.length + 1 + nameBytes.length);
        body.put(ephemeralKey).put(secret).putLong(expiresAt.toEpochMilli())
                .put((byte) deviceKey.length).put(deviceKey)
                .putShort((short) inviteBytes.length).put(inviteBytes)
                .put((byte) nameBytes.length).put(nameBytes);
        return PREFIX + VERSION + ":" + Base45.encode(body.array());
    }

    /**
     * Reads pasted or scanned text. A contact's safety code ({@link QrPayload}) is refused with
     * {@link Reason#WRONG_KIND}; never throws an unchecked exception.
     */
    public static LinkCode decode(String text) throws QrPayloadException {
        Matcher header = text == null ? null : HEADER.matcher(text);
        if (header == null || !header.lookingAt()) {
            if (text != null) {
                try {
                    QrPayload.decode(text);
                    throw new QrPayloadException(Reason.WRONG_KIND, "this is a contact's safety code, not a link code:"
                            + " show the link code on the new device with `vouch link show`");
                } catch (QrPayloadException e) {
                    if (e.reason() == Reason.WRONG_KIND) {
                        throw e;
                    }
                }
            }
            throw new QrPayloadException(Reason.NOT_A_VOUCH_CODE, "not a Vouch link code (no VOUCHLINK<version>: header)");
        }
        if (!header.group(1).equals(Integer.toString(VERSION))) {
            throw new QrPayloadException(Reason.UNSUPPORTED_VERSION, "a link code of version " + header.group(1)
                    + "; this build reads version " + VERSION + ": update Vouch on this device");
        }
        ByteBuffer in = ByteBuffer.wrap(Base45.decode(text.substring(header.end())));
        try {
            byte[] ephemeral = take(in, EPHEMERAL_LENGTH);
            byte[] secret = take(in, SECRET_LENGTH);
            long expires = in.getLong();
            byte[] deviceKey = take(in, in.get() & 0xff);
            String invite = utf8(take(in, in.getShort() & 0xffff));
            String name = utf8(take(in, in.get() & 0xff));
            if (in.hasRemaining()) {
                throw malformed(in.remaining() + " unexpected bytes after the name");
            }
            return new LinkCode(ephemeral, secret, Instant.ofEpochMilli(expires), deviceKey, invite, name);
        } catch (BufferUnderflowException e) {
            throw malformed("the link code is truncated");
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw malformed(e.getMessage());
        }
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String utf8(byte[] bytes) throws QrPayloadException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("a text field is not valid UTF-8");
        }
    }

    private static QrPayloadException malformed(String message) {
        return new QrPayloadException(Reason.MALFORMED, "damaged link code: " + message);
    }

    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public byte[] deviceKey() {
        return deviceKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkCode that && encode().equals(that.encode());
    }

    @Override
    public int hashCode() {
        return encode().hashCode();
    }

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "LinkCode[device key " + HexFormat.of().formatHex(deviceKey, 0, Math.min(8, deviceKey.length))
                + "..., expires " + expiresAt + ", name " + name + "]";
    }
}
