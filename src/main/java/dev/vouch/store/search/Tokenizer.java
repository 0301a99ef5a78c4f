package dev.vouch.store.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns message text and queries into index tokens, the same way for both.
 *
 * <p>Normalization: Unicode NFKC (full-width forms, ligatures and compatibility characters fold
 * to their plain forms), then case folding (upper- then lower-casing, so {@code ß} matches
 * {@code ss} and final sigma matches sigma), then diacritics are removed from Latin, Greek,
 * Cyrillic, Arabic and Hebrew letters ({@code café} matches {@code cafe}); marks that are part of
 * the letter in other scripts (Devanagari vowel signs, Thai vowels) are kept.
 *
 * <p>Splitting: a token is a run of letters, digits and their combining marks; everything else
 * separates. Each emoji or other symbol is a token of its own (a pair of regional indicators,
 * i.e. a flag, is one token; skin-tone modifiers, variation selectors and joiners are dropped).
 * Scripts written without spaces (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar,
 * Tibetan) cannot be split into words without a dictionary, so a run of them is indexed as
 * overlapping character bigrams plus its last character alone: {@code 東京都} gives
 * {@code 東京 京都 都}. Every character of such a run thus starts at least one token, which is
 * how a one-character query finds it (by prefix). Tokens are cut at {@value #MAX_TOKEN_CODE_POINTS}
 * code points, queries too, so long tokens still match.
 */
public final class Tokenizer {
    static final int MAX_TOKEN_CODE_POINTS = 32;

    private Tokenizer() {
    }

    /** One query term: a token that must match exactly, or (for the term being typed) as a prefix. */
    public record Term(String text, boolean prefix) {
    }

    /** The distinct tokens of a message text, in order of first appearance. */
    public static List<String> indexTokens(String text) {
        List<Piece> pieces = pieces(text);
        Map<String, Boolean> tokens = new LinkedHashMap<>();
        for (Piece piece : pieces) {
            if (!piece.spaceless) {
                tokens.put(piece.text, Boolean.TRUE);
                continue;
            }
            int[] units = unitBounds(piece.text);
            int count = units.length - 1;
            for (int i = 0; i + 1 < count; i++) {
                tokens.put(piece.text.substring(units[i], units[i + 2]), Boolean.TRUE);
            }
            tokens.put(piece.text.substring(units[count - 1], units[count]), Boolean.TRUE);
        }
        return new ArrayList<>(tokens.keySet());
    }

    /**
     * The terms of a query: every token must match (AND). The last word is matched as a prefix
     * (the user may still be typing it) unless the query ends in a space; a run of a spaceless
     * script becomes its bigrams (exact), and a single character of such a script is always a
     * prefix, so it finds the character wherever it stands.
     */
    public static List<Term> queryTerms(String query) {
        List<Piece> pieces = pieces(query);
        boolean typing = !query.isEmpty() && !Character.isWhitespace(query.codePointBefore(query.length()));
        Map<String, Boolean> terms = new LinkedHashMap<>();
        for (int p = 0; p < pieces.size(); p++) {
            Piece piece = pieces.get(p);
            boolean last = p == pieces.size() - 1;
            if (!piece.spaceless) {
                boolean prefix = last && typing && !piece.symbol;
                terms.merge(piece.text, prefix, (a, b) -> a && b);
                continue;
            }
            int[] units = unitBounds(piece.text);
            int count = units.length - 1;
            if (count == 1) {
                terms.merge(piece.text, Boolean.TRUE, (a, b) -> a && b);
            } else {
                for (int i = 0; i + 1 < count; i++) {
                    terms.merge(piece.text.substring(units[i], units[i + 2]), Boolean.FALSE, (a, b) -> a && b);
                }
            }
        }
        List<Term> out = new ArrayList<>(terms.size());
        terms.forEach((text, prefix) -> out.add(new Term(text, prefix)));
        return out;
    }

    /** The normalized form tokens are cut from (exposed for tests). */
    static String normalize(String text) {
        if (isAscii(text)) {
            return text.toLowerCase(Locale.ROOT);
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        // Upper then lower case approximates full case folding; Java lower-cases a final capital
        // sigma to the final form, which folding maps back to plain sigma.
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT).replace('\u03C2', '\u03C3');
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(s.length());
        Character.UnicodeScript baseScript = Character.UnicodeScript.COMMON;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if ((type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) && strippedMarks(baseScript)) {
                continue;
            }
            if (!isMark(type)) {
                baseScript = Character.UnicodeScript.of(cp);
            }
            out.appendCodePoint(cp);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    private static boolean strippedMarks(Character.UnicodeScript script) {
        switch (script) {
            case LATIN:
            case GREEK:
            case CYRILLIC:
            case ARABIC:
            case HEBREW:
            case COMMON:
                return true;
            default:
                return false;
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** A word (or symbol) or a run of a spaceless script, already normalized and cut to length. */
    private record Piece(String text, boolean spaceless, boolean symbol) {
    }

    private enum Kind { SEPARATOR, WORD, SPACELESS, SYMBOL, MARK, IGNORED, REGIONAL }

    private static List<Piece> pieces(String raw) {
        String s = normalize(raw);
        List<Piece> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Kind currentKind = Kind.SEPARATOR;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            Kind kind = kind(cp);
            if (kind == Kind.IGNORED) {
                continue;
            }
            if (kind == Kind.MARK) {
                if (currentKind == Kind.WORD || currentKind == Kind.SPACELESS) {
                    current.appendCodePoint(cp);
                }
                continue;
            }
            if (kind == currentKind && (kind == Kind.WORD || kind == Kind.SPACELESS)) {
                current.appendCodePoint(cp);
                continue;
            }
            if (kind == Kind.REGIONAL && currentKind == Kind.REGIONAL && current.codePointCount(0, current.length()) == 1) {
                current.appendCodePoint(cp);
                continue;
            }
            flush(out, current, currentKind);
            currentKind = kind;
            if (kind != Kind.SEPARATOR) {
                current.appendCodePoint(cp);
            }
        }
        flush(out, current, currentKind);
        return out;
    }

    private static void flush(List<Piece> out, StringBuilder current, Kind kind) {
        if (current.length() == 0) {
            return;
        }
        String text = current.toString();
        current.setLength(0);
        if (kind != Kind.SPACELESS) {
            text = cut(text);
        }
        out.add(new Piece(text, kind == Kind.SPACELESS, kind == Kind.SYMBOL || kind == Kind.REGIONAL));
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TOKEN_CODE_POINTS) {
            return text;
        }
        int count = text.codePointCount(0, text.length());
        return count <= MAX_TOKEN_CODE_POINTS ? text : text.substring(0, text.offsetByCodePoints(0, MAX_TOKEN_CODE_POINTS));
    }

    private static Kind kind(int cp) {
        if (cp < 0x80) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z')) {
                return Kind.WORD;
            }
            return Kind.SEPARATOR;
        }
        int type = Character.getType(cp);
        if (isMark(type)) {
            return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ? Kind.IGNORED : Kind.MARK;
        }
        if (cp >= 0x1F3FB && cp <= 0x1F3FF) {
            return Kind.IGNORED; // skin-tone modifiers
        }
        if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
            return Kind.REGIONAL;
        }
        if (Character.isLetterOrDigit(cp)) {
            return spaceless(Character.UnicodeScript.of(cp)) || isSpacelessCommonLetter(cp) ? Kind.SPACELESS : Kind.WORD;
        }
        if (type == Character.OTHER_SYMBOL) {
            return Kind.SYMBOL;
        }
        return Kind.SEPARATOR;
    }

    /** Letters of the common script used inside Japanese words (prolonged sound mark, iteration marks). */
    private static boolean isSpacelessCommonLetter(int cp) {
        return cp == 0x30FC || cp == 0x3005 || cp == 0x309D || cp == 0x309E || cp == 0x30FD || cp == 0x30FE;
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static boolean spaceless(Character.UnicodeScript script) {
        switch (script) {
            case HAN:
            case HIRAGANA:
            case KATAKANA:
            case HANGUL:
            case THAI:
            case LAO:
            case KHMER:
            case MYANMAR:
            case TIBETAN:
            case BOPOMOFO:
            case YI:
                return true;
            default:
                return false;
        }
    }

    /** Start offsets of the user-perceived units of a spaceless run (a base and its marks), plus the end. */
    private static int[] unitBounds(String run) {
        int[] bounds = new int[run.length() + 1];
        int n = 0;
        for (int i = 0; i < run.length(); ) {
            int cp = run.codePointAt(i);
            if (n == 0 || !isMark(Character.getType(cp))) {
                bounds[n++] = i;
            }
            i += Character.charCount(cp);
        }
        bounds[n++] = run.length();
        return Arrays.copyOf(bounds, n);
    }
}
