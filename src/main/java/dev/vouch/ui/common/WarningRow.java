package dev.vouch.ui.common;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * A warning in words with the one thing to do about it beside: the words wrap and always show
 * whole, and the button keeps its label, however narrow the window (the list below gives up the
 * room instead).
 */
public final class WarningRow {
    private WarningRow() {
    }

    /** Lays {@code text} (styled {@code style}: warning or danger) and {@code action} out in a row. */
    public static HBox of(Label text, String style, Button action) {
        text.getStyleClass().add(style);
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        text.setMinHeight(Region.USE_PREF_SIZE);
        action.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(8, text, action);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(text, Priority.ALWAYS);
        return row;
    }
}
