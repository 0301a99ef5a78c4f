package dev.vouch.ui.common;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The ways to take a QR code, for every panel that scans one (a contact's safety code, a new
 * device's link code): Camera (with a live preview and, with several cameras, a list), Picture…
 * (a file), Paste picture, and a drop or Ctrl+V anywhere on the panel ({@link #acceptDropsAndPaste}).
 */
public final class CodeScanControls extends VBox {
    static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);

    /** Where a taken code goes. */
    public interface Target {
        void file(Path file);

        void image(BufferedImage image);

        /** Text on the clipboard or dropped; false when text is not a way to take this kind of code. */
        default boolean text(String text) {
            return false;
        }

        /** The clipboard or the drop held nothing usable. */
        void nothing();
    }

    /**
     * @param choosePicture opens the file chooser (the panel knows its window and dialogs)
     * @param dropHint      the line under the buttons, e.g. "…or drop a picture of their code here"
     */
    public CodeScanControls(CodeCamera camera, Runnable choosePicture, Target target, String dropHint) {
        super(10);
        Button start = new Button("Camera");
        start.setId("scanCamera");
        start.disableProperty().bind(camera.availableProperty().not().and(camera.scanningProperty().not()));
        start.textProperty().bind(Bindings.when(camera.scanningProperty()).then("Stop camera").otherwise("Camera"));
        start.setOnAction(e -> {
            if (camera.scanningProperty().get()) {
                camera.stop();
            } else {
                camera.start();
            }
        });
        ComboBox<String> choice = new ComboBox<>(camera.names());
        choice.setId("cameraChoice");
        choice.visibleProperty().bind(Bindings.size(camera.names()).greaterThan(1));
        choice.managedProperty().bind(choice.visibleProperty());
        choice.disableProperty().bind(camera.scanningProperty());
        camera.names().addListener((javafx.collections.ListChangeListener<String>) c ->
                choice.getSelectionModel().select(camera.chosenProperty().get()));
        choice.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> {
            if (now.intValue() >= 0) {
                camera.chosenProperty().set(now.intValue());
            }
        });
        Button file = new Button("Picture…");
        file.setId("scanFile");
        file.setOnAction(e -> choosePicture.run());
        Button paste = new Button("Paste picture");
        paste.setId("pasteCode");
        paste.setOnAction(e -> fromClipboard(target));
        Label drop = new Label(dropHint);
        drop.setWrapText(true);
        drop.getStyleClass().add("text-muted");
        Label note = new Label();
        note.setId("cameraNote");
        note.setWrapText(true);
        note.getStyleClass().add("text-muted");
        note.textProperty().bind(camera.noteProperty());
        ImageView preview = new ImageView();
        preview.setId("cameraPreview");
        preview.setFitWidth(320);
        preview.setFitHeight(240);
        preview.setPreserveRatio(true);
        preview.visibleProperty().bind(camera.scanningProperty());
        preview.managedProperty().bind(camera.scanningProperty());
        camera.previewProperty().addListener((o, was, now) -> preview.setImage(now == null ? null
                : SwingFXUtils.toFXImage(now, null)));
        getChildren().addAll(new HBox(8, start, file, paste), choice, note, preview, drop);
    }

    /** Makes {@code panel} take a dropped file, picture (or text, where the target takes it), and Ctrl+V. */
    public static void acceptDropsAndPaste(Node panel, Target target) {
        panel.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() || e.getDragboard().hasImage() || e.getDragboard().hasString()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        panel.setOnDragDropped((DragEvent e) -> {
            e.setDropCompleted(take(e.getDragboard(), target));
            e.consume();
        });
        panel.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (PASTE.match(e) && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                fromClipboard(target);
                e.consume();
            }
        });
    }

    private static void fromClipboard(Target target) {
        if (!take(Clipboard.getSystemClipboard(), target)) {
            target.nothing();
        }
    }

    /** Hands what the clipboard or drop holds to the target: a file first, then a picture, then text. */
    static boolean take(Clipboard board, Target target) {
        List<File> files = board.hasFiles() ? board.getFiles() : List.of();
        if (!files.isEmpty()) {
            target.file(files.get(0).toPath());
            return true;
        }
        if (board.hasImage()) {
            target.image(SwingFXUtils.fromFXImage(board.getImage(), null));
            return true;
        }
        return board.hasString() && !board.getString().isBlank() && target.text(board.getString().strip());
    }
}
