package dev.vouch.protocol.fingerprint;

import dev.vouch.protocol.crypto.ConstantTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The machine-comparable form of a safety number, as one party sees it: Signal's
 * {@code CombinedFingerprints} protobuf. Each content is the first 32 bytes of that party's
 * iterated hash. Shown as a QR code by one party and scanned by the other.
 *
 * @param version the scannable format version (libsignal uses 1 and 2; the bytes are otherwise identical)
 * @param localFingerprint 32 bytes for the party that made this fingerprint
 * @param remoteFingerprint 32 bytes for the party it is talking to
 */
public record ScannableFingerprint(int version, byte[] localFingerprint, byte[] remoteFingerprint) {
    public static final int CONTENT_LENGTH = CombinedFingerprintsCodec.CONTENT_LENGTH;

    public ScannableFingerprint {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative: " + version);
        }
        localFingerprint = checkedCopy(localFingerprint, "localFingerprint");
        remoteFingerprint = checkedCopy(remoteFingerprint, "remoteFingerprint");
    }

    /**
     * Reads a scanned fingerprint in its canonical protobuf form. Never throws an unchecked
     * exception, whatever the input.
     *
     * @throws FingerprintParsingException when the bytes are not exactly a canonical CombinedFingerprints
     */
    public static ScannableFingerprint parse(byte[] bytes) throws FingerprintParsingException {
        return CombinedFingerprintsCodec.decode(bytes);
    }

    /** The protobuf bytes, byte-exact with libsignal's serialization. */
    public byte[] toByteArray() {
        return CombinedFingerprintsCodec.encode(version, localFingerprint, remoteFingerprint);
    }

    /**
     * True when {@code theirs}, scanned from the other party, describes the same pair of keys as
     * this one: their local is our remote and their remote is our local. Both halves are compared
     * in constant time and always both evaluated.
     *
     * @throws FingerprintVersionMismatchException when the versions differ, so the codes cannot be compared
     */
    public boolean matches(ScannableFingerprint theirs) throws FingerprintVersionMismatchException {
        Objects.requireNonNull(theirs, "theirs");
        if (theirs.version != version) {
            throw new FingerprintVersionMismatchException(theirs.version, version);
        }
        boolean theySeeUs = ConstantTime.equals(theirs.remoteFingerprint, localFingerprint);
        boolean weSeeThem = ConstantTime.equals(theirs.localFingerprint, remoteFingerprint);
        return theySeeUs & weSeeThem;
    }

    /**
     * Parses scanned bytes and compares them with this fingerprint.
     *
     * @throws FingerprintParsingException when the scanned bytes are malformed
     * @throws FingerprintVersionMismatchException when they are well formed but of another version
     */
    public boolean matches(byte[] scanned) throws FingerprintException {
        return matches(parse(scanned));
    }

    @Override
    public byte[] localFingerprint() {
        return localFingerprint.clone();
    }

    @Override
    public byte[] remoteFingerprint() {
        return remoteFingerprint.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScannableFingerprint that
                && version == that.version
                && (ConstantTime.equals(localFingerprint, that.localFingerprint)
                        & ConstantTime.equals(remoteFingerprint, that.remoteFingerprint));
    }

    @Override
    public int hashCode() {
        return 31 * (31 * version + Arrays.hashCode(localFingerprint)) + Arrays.hashCode(remoteFingerprint);
    }

    @Override
    public String toString() {
        return "ScannableFingerprint[" + HexFormat.of().formatHex(toByteArray()) + "]";
    }

    static byte[] checkedCopy(byte[] content, String name) {
        Objects.requireNonNull(content, name);
        if (content.length != CONTENT_LENGTH) {
            throw new IllegalArgumentException(name + " must be " + CONTENT_LENGTH + " bytes, got " + content.length);
        }
        return content.clone();
    }
}
