package dev.vouch.ui.common;

import dev.vouch.service.RelayFailureException;
import dev.vouch.service.ServiceException;
import dev.vouch.store.StoreException;
import dev.vouch.store.WrongPassphraseException;

/** Turns a failure into one plain sentence for the screen; never shows keys, passphrases or message text. */
public final class Problems {
    private Problems() {
    }

    public static String describe(Exception e) {
        if (e instanceof WrongPassphraseException) {
            return "That passphrase does not open this profile. Check Caps Lock and try again.";
        }
        if (e instanceof RelayFailureException) {
            return "The relay cannot be reached right now (" + e.getMessage() + "). Nothing is lost: "
                    + "messages wait on this computer and go out when it is back.";
        }
        if (e instanceof ServiceException || e instanceof StoreException) {
            return capitalize(e.getMessage());
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return "Something went wrong: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }

    static String capitalize(String text) {
        if (text == null || text.isEmpty()) {
            return "Something went wrong.";
        }
        String sentence = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }
}
