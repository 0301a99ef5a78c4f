package dev.vouch.ui.contact;

import dev.vouch.qr.camera.Cameras;
import dev.vouch.qr.camera.OpenPnpCameras;
import dev.vouch.ui.common.CodeScanControls;
import dev.vouch.ui.common.QrCodeView;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.shell.DesktopConfig;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The contact panel: safety number, our code for them, scanning theirs with a webcam (live preview)
 * or from a file, a drop or the clipboard (Ctrl+V anywhere in the panel); then their devices, their
 * key history as a timeline, and the key transparency log's status. Leaving the scene stops the
 * camera.
 */
public final class ContactView extends ScrollPane {
    private final ContactViewModel viewModel;

    /** The panel with the system's webcams (openpnp-capture), released when the panel leaves the window. */
    public ContactView(Session session, DesktopConfig config, String handle) {
        this(session, config, new OpenPnpCameras(), handle);
    }

    /** The panel with the given cameras; an {@link AutoCloseable} one is closed when the panel leaves the window. */
    public ContactView(Session session, DesktopConfig config, Cameras cameras, String handle) {
        this.viewModel = new ContactViewModel(session, config.executors(), cameras, handle);
        setId("contactPanel");
        Label title = new Label(handle);
        title.getStyleClass().add("title-3");
        Label verification = new Label();
        verification.setId("verification");
        verification.setWrapText(true);
        verification.textProperty().bind(viewModel.verificationProperty());

        Label numberTitle = new Label("Safety number");
        numberTitle.getStyleClass().add("text-bold");
        GridPane number = new GridPane();
        number.setId("safetyNumber");
        number.setHgap(14);
        number.setVgap(6);
        viewModel.groups().addListener((javafx.collections.ListChangeListener<String>) c -> fill(number));
        Label compare = new Label("Compare these digits with the ones " + handle + " sees, or let them scan the"
                + " code below.");
        compare.setWrapText(true);
        compare.getStyleClass().add("text-muted");

        QrCodeView qr = new QrCodeView("qr", viewModel.qrProperty());

        Label scanTitle = new Label("Scan their code");
        scanTitle.getStyleClass().add("text-bold");
        CodeScanControls.Target target = new CodeScanControls.Target() {
            @Override
            public void file(java.nio.file.Path file) {
                viewModel.scanFile(file);
            }

            @Override
            public void image(java.awt.image.BufferedImage image) {
                viewModel.scanImage(image);
            }

            @Override
            public void nothing() {
                viewModel.scanImageMissing();
            }
        };
        CodeScanControls scan = new CodeScanControls(viewModel.camera(), () -> config.dialogs()
                .chooseImage(getScene().getWindow()).ifPresent(viewModel::scanFile), target,
                "…or drop a picture of their code here, or paste it with Ctrl+V.");
        Label busy = new Label();
        busy.textProperty().bind(viewModel.busyTextProperty());
        Label outcome = new Label();
        outcome.setId("outcome");
        outcome.setWrapText(true);
        outcome.textProperty().bind(viewModel.outcomeTextProperty());
        viewModel.outcomeProperty().addListener((o, was, now) -> {
            outcome.getStyleClass().removeAll("success", "danger", "warning");
            switch (now) {
                case VERIFIED -> outcome.getStyleClass().add("success");
                case MISMATCH -> outcome.getStyleClass().add("danger");
                case PROBLEM -> outcome.getStyleClass().add("warning");
                default -> { }
            }
        });

        Label devicesTitle = new Label("Devices");
        devicesTitle.getStyleClass().add("text-bold");
        ListView<String> devices = new ListView<>(viewModel.devices());
        devices.setId("devices");
        devices.setPrefHeight(90);
        devices.setCellFactory(ContactView::wrapping);
        Label transparencyTitle = new Label("Key transparency");
        transparencyTitle.getStyleClass().add("text-bold");
        Label transparency = new Label();
        transparency.setId("transparency");
        transparency.setWrapText(true);
        transparency.getStyleClass().add("text-muted");
        transparency.textProperty().bind(viewModel.transparencyProperty());

        Label historyTitle = new Label("Key history");
        historyTitle.getStyleClass().add("text-bold");
        ListView<String> history = new ListView<>(viewModel.history());
        history.setId("keyHistory");
        history.setPrefHeight(220);
        history.setCellFactory(ContactView::wrapping);

        VBox box = new VBox(10, title, verification, numberTitle, number, compare, qr, scanTitle, scan, busy, outcome,
                devicesTitle, devices, transparencyTitle, transparency, historyTitle, history);
        box.setPadding(new Insets(10));
        box.setPrefWidth(360);
        box.setAlignment(Pos.TOP_LEFT);
        setContent(box);
        setFitToWidth(true);
        setPrefWidth(380);

        CodeScanControls.acceptDropsAndPaste(this, target);
        sceneProperty().addListener((o, was, now) -> {
            if (was != null && now == null) {
                viewModel.dispose();
                if (cameras instanceof AutoCloseable closeable) {
                    config.executors().background().execute(() -> close(closeable));
                }
            }
        });
        viewModel.load();
        viewModel.findCameras();
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // releasing the camera library's context: nothing the person can act on
        }
    }

    /** A list cell whose text wraps to the list's width and grows as tall as the text (entries of several lines). */
    private static ListCell<String> wrapping(ListView<String> list) {
        Label text = new Label();
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.prefWidthProperty().bind(list.widthProperty().subtract(30));
        text.maxWidthProperty().bind(text.prefWidthProperty());
        return new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                text.setText(empty ? null : item);
                setGraphic(empty ? null : text);
            }
        };
    }

    public ContactViewModel viewModel() {
        return viewModel;
    }

    private void fill(GridPane number) {
        number.getChildren().clear();
        List<String> groups = viewModel.groups();
        for (int i = 0; i < groups.size(); i++) {
            Label group = new Label(groups.get(i));
            group.getStyleClass().addAll("title-4", "digits");
            group.setStyle("-fx-font-family: monospace;");
            number.add(group, i % 4, i / 4);
        }
    }
}
