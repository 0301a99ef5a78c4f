package dev.vouch.ui.review;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The review screen of a key change, shown beside the conversation. */
public final class ReviewView extends ScrollPane {
    private final ReviewViewModel viewModel;

    public ReviewView(ReviewViewModel viewModel) {
        this.viewModel = viewModel;
        setId("reviewPanel");
        Label title = new Label("Review " + viewModel.handle() + "'s key change");
        title.getStyleClass().add("title-3");
        Label summary = new Label();
        summary.setId("reviewSummary");
        summary.setWrapText(true);
        summary.textProperty().bind(viewModel.summaryProperty());
        ListView<String> changes = new ListView<>(viewModel.changes());
        changes.setId("reviewChanges");
        changes.setPrefHeight(120);
        Button accept = new Button("Accept the new key and send");
        accept.setId("acceptChange");
        accept.getStyleClass().add("danger");
        accept.disableProperty().bind(viewModel.pendingProperty().not());
        accept.setOnAction(e -> viewModel.accept());
        Button later = new Button("Remind me later");
        later.setId("remindLater");
        later.disableProperty().bind(viewModel.pendingProperty().not());
        later.setOnAction(e -> viewModel.remindLater());
        Label result = new Label();
        result.setId("reviewResult");
        result.setWrapText(true);
        result.textProperty().bind(viewModel.resultProperty());
        VBox box = new VBox(10, title, summary, new Label("What changed"), changes, new HBox(8, later, accept), result);
        box.setPadding(new Insets(10));
        box.setPrefWidth(360);
        setContent(box);
        setFitToWidth(true);
        setPrefWidth(380);
        viewModel.load();
    }

    public ReviewViewModel viewModel() {
        return viewModel;
    }
}
