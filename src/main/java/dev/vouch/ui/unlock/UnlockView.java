package dev.vouch.ui.unlock;

import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.shell.ShellViewModel;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.VBox;

/** The lock screen. */
public final class UnlockView extends VBox {
    private final UnlockViewModel viewModel;

    public UnlockView(ShellViewModel shell, UiExecutors executors) {
        this.viewModel = new UnlockViewModel(executors, shell::store, shell::unlocked);
        Label title = new Label("Vouch is locked");
        title.getStyleClass().add("title-1");
        Label where = new Label("Profile: " + shell.config().profile());
        where.getStyleClass().add("text-muted");
        PasswordField passphrase = new PasswordField();
        passphrase.setId("unlockPassphrase");
        passphrase.setPromptText("Passphrase");
        passphrase.setMaxWidth(360);
        Button unlock = new Button("Unlock");
        unlock.setId("unlock");
        unlock.setDefaultButton(true);
        unlock.disableProperty().bind(viewModel.busyProperty().or(passphrase.textProperty().isEmpty()));
        unlock.setOnAction(e -> {
            char[] chars = passphrase.getText().toCharArray();
            passphrase.clear();
            viewModel.unlock(chars);
        });
        ProgressIndicator busy = new ProgressIndicator();
        busy.setMaxSize(24, 24);
        busy.visibleProperty().bind(viewModel.busyProperty());
        Label problem = new Label();
        problem.setId("unlockProblem");
        problem.setWrapText(true);
        problem.setMaxWidth(420);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.problemProperty());
        if (!shell.problemProperty().get().isEmpty()) {
            viewModel.show(shell.problemProperty().get());
        }
        shell.problemProperty().addListener((o, was, now) -> {
            if (!now.isEmpty()) {
                viewModel.show(now);
            }
        });
        getChildren().addAll(title, where, passphrase, unlock, busy, problem);
        setSpacing(12);
        setAlignment(Pos.CENTER);
        setPadding(new Insets(32));
        Platform.runLater(passphrase::requestFocus);
    }

    public UnlockViewModel viewModel() {
        return viewModel;
    }
}
