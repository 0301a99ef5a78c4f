package dev.vouch.protocol.fingerprint;

import dev.vouch.protocol.crypto.ConstantTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A safety number between two parties, as seen by the local one: the 60 digits both people read
 * aloud (the same on both sides) and each party's 32-byte fingerprint content for the scannable form
 * (which depends on who is local). Made by {@link SafetyNumberGenerator}.
 *
 * @param displayable the 60 digits, the smaller 30-digit half first
 * @param localFingerprint the first 32 bytes of the local party's iterated hash
 * @param remoteFingerprint the first 32 bytes of the remote party's iterated hash
 */
public record SafetyNumber(String displayable, byte[] localFingerprint, byte[] remoteFingerprint) {
    public static final int DIGITS = 2 * DisplayableDigits.PER_PARTY;
    public static final int GROUP_LENGTH = 5;
    public static final int GROUPS = DIGITS / GROUP_LENGTH;
    private static final Pattern SIXTY_DIGITS = Pattern.compile("[0-9]{" + DIGITS + "}");

    public SafetyNumber {
        Objects.requireNonNull(displayable, "displayable");
        if (!SIXTY_DIGITS.matcher(displayable).matches()) {
            throw new IllegalArgumentException("a safety number has exactly " + DIGITS + " ASCII digits");
        }
        localFingerprint = ScannableFingerprint.checkedCopy(localFingerprint, "localFingerprint");
        remoteFingerprint = ScannableFingerprint.checkedCopy(remoteFingerprint, "remoteFingerprint");
    }

    /** The 60 digits in 12 groups of 5, the way people read them out. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>(GROUPS);
        for (int i = 0; i < DIGITS; i += GROUP_LENGTH) {
            groups.add(displayable.substring(i, i + GROUP_LENGTH));
        }
        return Collections.unmodifiableList(groups);
    }

    /** The scannable form from the local party's point of view, for the given format version. */
    public ScannableFingerprint scannable(int version) {
        return new ScannableFingerprint(version, localFingerprint, remoteFingerprint);
    }

    /**
     * Compares the bytes scanned from the other party's screen with ours, in constant time.
     *
     * @param scanned the other party's serialized scannable fingerprint
     * @param version the scannable version we use
     * @throws FingerprintParsingException when the scanned bytes are malformed
     * @throws FingerprintVersionMismatchException when they are of another version than {@code version}
     */
    public boolean matches(byte[] scanned, int version) throws FingerprintException {
        return scannable(version).matches(scanned);
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
        return other instanceof SafetyNumber that
                && displayable.equals(that.displayable)
                && (ConstantTime.equals(localFingerprint, that.localFingerprint)
                        & ConstantTime.equals(remoteFingerprint, that.remoteFingerprint));
    }

    @Override
    public int hashCode() {
        return 31 * (31 * displayable.hashCode() + Arrays.hashCode(localFingerprint)) + Arrays.hashCode(remoteFingerprint);
    }

    @Override
    public String toString() {
        return "SafetyNumber[" + String.join(" ", groups()) + "]";
    }
}
