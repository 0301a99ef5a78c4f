package dev.vouch.ui.archive;

import java.io.File;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The archive window: export this profile to an encrypted file, or import one into it, with a
 * progress bar and a cancel button. Opened from the main window; closing it while work runs
 * cancels the work (nothing is left half done).
 */
public final class ArchiveView extends VBox {
    private final ArchiveViewModel viewModel;
    private final PasswordField passphrase = new PasswordField();
    private final PasswordField repeat = new PasswordField();

    public ArchiveView(ArchiveViewModel viewModel) {
        super(10);
        this.viewModel = viewModel;
        setPadding(new Insets(16));
        setPrefWidth(520);

        Label title = new Label("Archive");
        title.getStyleClass().add("title-3");
        Label about = new Label("An archive is one file, encrypted with its own passphrase, that holds your"
                + " conversations, contacts, verifications and key history, and unless you choose history only, your"
                + " account's keys: it moves your account to another computer. Import reads an archive of this account"
                + " into this profile; messages already here are skipped, and a damaged archive changes nothing.");
        about.setWrapText(true);
        about.getStyleClass().add("text-muted");

        TextField file = new TextField();
        file.setId("archiveFile");
        file.setPromptText("Archive file");
        file.textProperty().bindBidirectional(viewModel.fileProperty());
        HBox.setHgrow(file, Priority.ALWAYS);
        Button saveAs = new Button("Save as...");
        saveAs.setOnAction(e -> choose(true).ifPresent(f -> viewModel.fileProperty().set(f.getPath())));
        Button open = new Button("Open...");
        open.setOnAction(e -> choose(false).ifPresent(f -> viewModel.fileProperty().set(f.getPath())));
        HBox fileRow = new HBox(6, file, saveAs, open);
        fileRow.setAlignment(Pos.CENTER_LEFT);

        CheckBox historyOnly = new CheckBox("History only: leave every private key out (the archive cannot move the account)");
        historyOnly.setId("archiveHistoryOnly");
        historyOnly.setWrapText(true);
        historyOnly.selectedProperty().bindBidirectional(viewModel.historyOnlyProperty());

        passphrase.setId("archivePassphrase");
        passphrase.setPromptText("Archive passphrase");
        repeat.setId("archiveRepeat");
        repeat.setPromptText("Repeat it (export only)");

        Button export = new Button("Export");
        export.setId("archiveExport");
        export.setDefaultButton(true);
        export.setOnAction(e -> viewModel.export(take(passphrase), take(repeat)));
        Button importButton = new Button("Import");
        importButton.setId("archiveImport");
        importButton.setOnAction(e -> {
            repeat.clear();
            viewModel.importArchive(take(passphrase));
        });
        Button cancel = new Button("Cancel");
        cancel.setId("archiveCancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> {
            if (viewModel.runningProperty().get()) {
                viewModel.cancel();
            } else if (getScene() != null) {
                getScene().getWindow().hide();
            }
        });
        export.disableProperty().bind(viewModel.runningProperty());
        importButton.disableProperty().bind(viewModel.runningProperty());
        HBox buttons = new HBox(8, export, importButton, cancel);

        ProgressBar progress = new ProgressBar(0);
        progress.setId("archiveProgress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(viewModel.progressProperty());
        progress.visibleProperty().bind(viewModel.runningProperty().or(viewModel.progressProperty().greaterThan(0)));
        Label status = new Label();
        status.setId("archiveStatus");
        status.setWrapText(true);
        status.textProperty().bind(viewModel.statusProperty());
        Label problem = new Label();
        problem.setId("archiveProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.problemProperty());

        getChildren().addAll(title, about, fileRow, historyOnly, passphrase, repeat, buttons, progress, status, problem);
    }

    /** Opens the archive window over {@code owner}; closing it cancels what runs. */
    public static Stage show(Window owner, ArchiveViewModel viewModel) {
        ArchiveView view = new ArchiveView(viewModel);
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Vouch: archive");
        stage.getIcons().setAll(dev.vouch.ui.shell.VouchDesktop.icons());
        Scene scene = new Scene(view);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> viewModel.cancel());
        stage.show();
        return stage;
    }

    private Optional<File> choose(boolean save) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(save ? "Export to" : "Import from");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Vouch archives", "*.vouch"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        if (save) {
            chooser.setInitialFileName("vouch-archive.vouch");
        }
        Window window = getScene() == null ? null : getScene().getWindow();
        return Optional.ofNullable(save ? chooser.showSaveDialog(window) : chooser.showOpenDialog(window));
    }

    /** The field's characters, cleared from the field. */
    private static char[] take(PasswordField field) {
        char[] out = field.getText().toCharArray();
        field.clear();
        return out;
    }
}
