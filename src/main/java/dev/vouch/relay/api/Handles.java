package dev.vouch.relay.api;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Handles as the relay knows them (docs/relay-protocol.md, "Handles"): Unicode NFKC, then lower
 * case in the root locale; 3 to 32 characters from {@code a-z 0-9 . _ -}, starting with a letter,
 * not ending with {@code .} or {@code -}. Server and client use this one class, so both sides sign
 * and look up the same string.
 */
public final class Handles {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9._-]{1,30}[a-z0-9_]");

    private Handles() {
    }

    /** The normalized handle, or empty when the text is not a valid handle even after normalizing. */
    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.length() > 4 * MAX_LENGTH) {
            return Optional.empty();
        }
        String normalized = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return VALID.matcher(normalized).matches() ? Optional.of(normalized) : Optional.empty();
    }

    /** The rule, in words a person can act on (the refused text itself is never echoed). */
    public static final String RULE =
            "a handle is 3 to 32 of a-z, 0-9, '.', '_', '-', starts with a letter and does not end with '.' or '-'";

    /** The normalized handle; for callers that already know the handle to be valid. */
    public static String require(String raw) {
        return normalize(raw).orElseThrow(() -> new IllegalArgumentException(RULE));
    }
}
