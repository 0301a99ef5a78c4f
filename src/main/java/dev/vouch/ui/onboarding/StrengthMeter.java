package dev.vouch.ui.onboarding;

import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;

/**
 * How strong a passphrase being typed is: a bar coloured by zxcvbn's score, its word ("Strong")
 * and one line of advice. Part of {@link NewPassphraseFields}, wherever a new passphrase is chosen.
 */
public final class StrengthMeter extends VBox {
    public StrengthMeter(ObservableValue<PassphraseStrength> strength) {
        super(6);
        ProgressBar meter = new ProgressBar(0);
        meter.setId("strength");
        meter.setMaxWidth(Double.MAX_VALUE);
        Label label = new Label();
        label.setId("strengthLabel");
        Label advice = new Label();
        advice.setWrapText(true);
        advice.getStyleClass().add("text-muted");
        strength.addListener((o, was, now) -> {
            meter.setProgress(now.score() / 4.0);
            label.setText(now.label());
            advice.setText(now.advice());
            meter.getStyleClass().removeAll("danger", "warning", "success");
            meter.getStyleClass().add(now.acceptable() ? "success" : now.score() >= 2 ? "warning" : "danger");
        });
        getChildren().addAll(meter, label, advice);
    }
}
