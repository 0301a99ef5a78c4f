package dev.vouch.ui.onboarding;

import java.util.Arrays;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;

/**
 * Choosing a passphrase: the passphrase, the same again, the strength meter and the plain statement
 * that nobody can recover it. Every screen that sets one (the first run, linking a new device, the
 * settings' change) shows these alike. What is typed reaches the listener as arrays that are wiped
 * once it returns; a field's text is never kept anywhere else.
 */
public final class NewPassphraseFields extends VBox {
    /** Called on every key typed in either field. */
    public interface Listener {
        void changed(char[] passphrase, char[] repeated);
    }

    private final PasswordField passphrase = new PasswordField();
    private final PasswordField repeat = new PasswordField();
    private final Label noRecovery = new Label(OnboardingViewModel.NO_RECOVERY);

    public NewPassphraseFields(double spacing, String prompt, String repeatPrompt) {
        super(spacing);
        passphrase.setPromptText(prompt);
        repeat.setPromptText(repeatPrompt);
        noRecovery.setWrapText(true);
        noRecovery.getStyleClass().add("warning");
        getChildren().addAll(passphrase, repeat, noRecovery);
    }

    /** Hands every change to {@code listener} and shows {@code strength}, as the screen's model judges it. */
    public void judgedBy(ObservableValue<PassphraseStrength> strength, Listener listener) {
        passphrase.textProperty().addListener((o, was, now) -> changed(listener));
        repeat.textProperty().addListener((o, was, now) -> changed(listener));
        getChildren().add(getChildren().indexOf(noRecovery), new StrengthMeter(strength));
    }

    public PasswordField passphrase() {
        return passphrase;
    }

    public PasswordField repeat() {
        return repeat;
    }

    public Label noRecovery() {
        return noRecovery;
    }

    /** The passphrase typed, for the caller to use and wipe. */
    public char[] typed() {
        return passphrase.getText().toCharArray();
    }

    public void clear() {
        passphrase.clear();
        repeat.clear();
    }

    private void changed(Listener listener) {
        char[] first = passphrase.getText().toCharArray();
        char[] second = repeat.getText().toCharArray();
        try {
            listener.changed(first, second);
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }
}
