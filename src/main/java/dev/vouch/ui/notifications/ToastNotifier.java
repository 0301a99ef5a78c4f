package dev.vouch.ui.notifications;

import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * A notification inside the window, at its bottom right, gone after a few seconds: for systems with
 * neither a tray nor {@code notify-send}. It is part of the window's scene graph (id {@code toast}).
 */
public final class ToastNotifier implements Notifier {
    static final Duration SHOWN_FOR = Duration.seconds(6);

    private final StackPane layer;

    /** @param layer the window's root, over which the toast floats */
    public ToastNotifier(StackPane layer) {
        this.layer = layer;
    }

    @Override
    public void show(String title, String body) {
        Label heading = new Label(title);
        heading.getStyleClass().add("title-4");
        Label text = new Label(body);
        text.setWrapText(true);
        VBox toast = new VBox(4, heading, text);
        toast.setId("toast");
        toast.getStyleClass().add("toast");
        toast.setStyle("-fx-background-color: -color-bg-overlay; -fx-border-color: -color-border-default;"
                + " -fx-background-radius: 6; -fx-border-radius: 6;");
        toast.setPadding(new Insets(10, 14, 10, 14));
        toast.setMaxSize(320, VBox.USE_PREF_SIZE);
        toast.setMouseTransparent(true);
        StackPane.setAlignment(toast, Pos.BOTTOM_RIGHT);
        StackPane.setMargin(toast, new Insets(16));
        layer.getChildren().removeIf(n -> "toast".equals(n.getId()));
        layer.getChildren().add(toast);
        PauseTransition later = new PauseTransition(SHOWN_FOR);
        later.setOnFinished(e -> layer.getChildren().remove(toast));
        later.play();
    }
}
