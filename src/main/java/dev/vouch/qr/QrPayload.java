package dev.vouch.qr;

import dev.vouch.qr.QrPayloadException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Vouch contact-verification QR code says: "I am {@code handle}, and this is my scannable
 * fingerprint of our conversation". The fingerprint bytes are opaque here (today Signal's
 * {@code CombinedFingerprints} protobuf from the point of view of the person showing the code); the scanner compares them
 * with its own safety number.
 *
 * <p>Text form, version 1 (see docs/qr-payload.md): {@code VOUCH1:} followed by the Base45 of
 * {@code handleLength(1) || handle(UTF-8) || fingerprintLength(1) || fingerprint}. Every character
 * is in the QR alphanumeric set, so the code stays small. Decoding is strict: exact lengths, no
 * trailing bytes, one valid encoding per payload, so {@code decode(s).encode().equals(s)}.
 *
 * @param handle the contact handle: 1 to {@value #MAX_HANDLE_BYTES} bytes of UTF-8, no control characters
 * @param fingerprint 1 to {@value #MAX_FINGERPRINT_BYTES} bytes
 */
public record QrPayload(String handle, byte[] fingerprint) {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    public static final int MAX_HANDLE_BYTES = 64;
    public static final int MAX_FINGERPRINT_BYTES = 128;

    private static final String PREFIX = "VOUCH";
    // The version rule: every version starts with VOUCH<decimal version>: and only what follows the colon may change.
    private static final Pattern HEADER = Pattern.compile(PREFIX + "([0-9]+):");
    private static final Pattern CANONICAL_VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    public QrPayload {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(fingerprint, "fingerprint");
        String problem = handleProblem(handle);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (fingerprint.length < 1 || fingerprint.length > MAX_FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("the fingerprint must be 1 to " + MAX_FINGERPRINT_BYTES
                    + " bytes, got " + fingerprint.length);
        }
        fingerprint = fingerprint.clone();
    }

    /** The text to put in a QR code: {@code VOUCH1:} and the Base45 body, all QR-alphanumeric. */
    public String encode() {
        byte[] handleBytes = handle.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(2 + handleBytes.length + fingerprint.length);
        body.put((byte) handleBytes.length).put(handleBytes).put((byte) fingerprint.length).put(fingerprint);
        return PREFIX + VERSION + ":" + Base45.encode(body.array());
    }

    /**
     * Reads scanned text. Never throws an unchecked exception, whatever the input. The text is
     * taken exactly as given: do not trim it, Base45 uses the space character.
     *
     * @throws UnsupportedQrPayloadVersionException for a well-formed header of another version
     * @throws QrPayloadException when the text is not a Vouch code or is malformed
     */
    public static QrPayload decode(String text) throws QrPayloadException {
        Matcher header = text == null ? null : HEADER.matcher(text);
        if (header == null || !header.lookingAt()) {
            throw new QrPayloadException(Reason.NOT_A_VOUCH_CODE, "not a Vouch code (no VOUCH<version>: header)");
        }
        String digits = header.group(1);
        if (!CANONICAL_VERSION.matcher(digits).matches()) {
            throw malformed("the Vouch code version is not a positive decimal of at most 9 digits without leading zeros");
        }
        int version = Integer.parseInt(digits); // at most 9 digits, cannot overflow
        if (version != VERSION) {
            throw new UnsupportedQrPayloadVersionException(version);
        }
        return readBody(Base45.decode(text.substring(header.end())));
    }

    private static QrPayload readBody(byte[] body) throws QrPayloadException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] handleBytes = readField(in, "handle", MAX_HANDLE_BYTES);
        byte[] fingerprint = readField(in, "fingerprint", MAX_FINGERPRINT_BYTES);
        if (in.hasRemaining()) {
            throw malformed(in.remaining() + " unexpected bytes after the fingerprint");
        }
        String handle = strictUtf8(handleBytes);
        String problem = handleProblem(handle);
        if (problem != null) {
            throw malformed(problem);
        }
        return new QrPayload(handle, fingerprint);
    }

    /** A one-byte length from 1 to {@code max}, then exactly that many bytes. */
    private static byte[] readField(ByteBuffer in, String name, int max) throws QrPayloadException {
        if (!in.hasRemaining()) {
            throw malformed("the payload ends before the " + name + " length");
        }
        int length = in.get() & 0xff;
        if (length < 1 || length > max) {
            throw malformed("the " + name + " length " + length + " is outside 1.." + max);
        }
        if (in.remaining() < length) {
            throw malformed("the " + name + " is truncated: " + in.remaining() + " of " + length + " bytes");
        }
        byte[] field = new byte[length];
        in.get(field);
        return field;
    }

    private static String strictUtf8(byte[] bytes) throws QrPayloadException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("the handle is not valid UTF-8");
        }
    }

    /**
     * Null when the handle is acceptable. Control characters are refused because the handle is
     * shown to the user, and unpaired surrogates because they have no UTF-8 form.
     */
    private static String handleProblem(String handle) {
        if (handle.isEmpty()) {
            return "the handle is empty";
        }
        for (int i = 0; i < handle.length(); ) {
            int codePoint = handle.codePointAt(i);
            if (Character.isISOControl(codePoint)) {
                return String.format("the handle contains the control character U+%04X", codePoint);
            }
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) { // unpaired
                return "the handle contains an unpaired surrogate";
            }
            i += Character.charCount(codePoint);
        }
        int utf8Length = handle.getBytes(StandardCharsets.UTF_8).length;
        if (utf8Length > MAX_HANDLE_BYTES) {
            return "the handle is " + utf8Length + " UTF-8 bytes, at most " + MAX_HANDLE_BYTES + " are allowed";
        }
        return null;
    }

    private static QrPayloadException malformed(String message) {
        return new QrPayloadException(Reason.MALFORMED, message);
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public boolean equals(Object other) {
        // MessageDigest.isEqual runs in constant time; qr stays free of protocol dependencies.
        return other instanceof QrPayload that && handle.equals(that.handle)
                && MessageDigest.isEqual(fingerprint, that.fingerprint);
    }

    @Override
    public int hashCode() {
        return 31 * handle.hashCode() + Arrays.hashCode(fingerprint);
    }

    @Override
    public String toString() {
        return "QrPayload[handle=" + handle + ", fingerprint=" + HexFormat.of().formatHex(fingerprint) + "]";
    }
}
