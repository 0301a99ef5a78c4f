package dev.vouch.ui.onboarding;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.nio.CharBuffer;
import java.util.Arrays;

/**
 * How hard a passphrase is to guess, on zxcvbn's scale (0 to 4: it knows common passwords, names,
 * keyboard walks, dates and l33t), with one line of advice. Nothing here keeps the passphrase.
 */
public record PassphraseStrength(int score, String label, String advice) {
    /** The least a new profile accepts: guessing it would take an offline attacker a very long time. */
    public static final int REQUIRED = 3;

    private static final String[] LABELS = {"Very weak", "Weak", "Fair", "Strong", "Very strong"};
    private static final Zxcvbn ZXCVBN = new Zxcvbn();

    public static final PassphraseStrength EMPTY = new PassphraseStrength(0, "", "");

    public boolean acceptable() {
        return score >= REQUIRED;
    }

    /** Measures the passphrase; zxcvbn wipes what it measured, so the caller's array is left as it was. */
    public static PassphraseStrength of(char[] passphrase) {
        if (passphrase.length == 0) {
            return EMPTY;
        }
        char[] copy = passphrase.clone();
        Strength strength = ZXCVBN.measure(CharBuffer.wrap(copy));
        try {
            int score = Math.max(0, Math.min(4, strength.getScore()));
            String advice;
            if (score >= REQUIRED) {
                advice = "Good. Write it down somewhere safe: nobody can recover it for you.";
            } else {
                String warning = strength.getFeedback().getWarning();
                String suggestion = strength.getFeedback().getSuggestions().stream().findFirst().orElse("");
                advice = (warning == null || warning.isBlank() ? "" : warning + " ")
                        + (suggestion.isBlank() ? "Add another word or two." : suggestion);
            }
            return new PassphraseStrength(score, LABELS[score], advice.trim());
        } finally {
            strength.wipe();
            Arrays.fill(copy, '\0');
        }
    }
}
