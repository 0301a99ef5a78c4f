package dev.vouch.ui.review;

import dev.vouch.service.ReviewReminders;
import dev.vouch.ui.common.WarningRow;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The main window's banners of due "remind me later" reminders, each with "Review now". */
public final class ReminderBanner extends VBox {
    private final RemindersViewModel viewModel;
    private final Consumer<String> review;

    /** @param review opens the review screen of the contact with this handle */
    public ReminderBanner(RemindersViewModel viewModel, Consumer<String> review) {
        super(4);
        this.viewModel = viewModel;
        this.review = review;
        setId("reminderBanner");
        setPadding(new Insets(6, 10, 0, 10));
        viewModel.due().addListener((ListChangeListener<ReviewReminders.Due>) c -> show());
        show();
    }

    private void show() {
        getChildren().setAll(viewModel.due().stream().map(this::row).toList());
        setVisible(!viewModel.due().isEmpty());
        setManaged(isVisible());
    }

    private HBox row(ReviewReminders.Due reminder) {
        Label text = new Label(RemindersViewModel.text(reminder));
        text.setId("reminderText");
        Button now = new Button("Review now");
        now.setId("reviewNow");
        now.setOnAction(e -> review.accept(reminder.handle()));
        return WarningRow.of(text, "warning", now);
    }
}
