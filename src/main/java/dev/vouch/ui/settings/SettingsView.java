package dev.vouch.ui.settings;

import dev.vouch.ui.archive.ArchiveView;
import dev.vouch.qr.camera.Cameras;
import dev.vouch.qr.camera.OpenPnpCameras;
import dev.vouch.ui.common.CodeScanControls;
import dev.vouch.ui.common.Dialogs;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.ThemeChoice;
import dev.vouch.ui.onboarding.NewPassphraseFields;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * The settings window (Ctrl+, or the "Settings" button): one scrolling column of sections, every
 * control reached with Tab and worked with the keyboard; Escape closes it.
 */
public final class SettingsView extends ScrollPane {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final SettingsViewModel viewModel;
    private final Dialogs dialogs;
    private final Cameras cameras;
    private LinkDeviceViewModel linking;
    private final PasswordField current = new PasswordField();
    private final NewPassphraseFields next = new NewPassphraseFields(6, "New passphrase", "The new passphrase again");

    public SettingsView(SettingsViewModel viewModel) {
        this(viewModel, Dialogs.SYSTEM, new OpenPnpCameras());
    }

    /**
     * @param dialogs where a picture of a new device's code is chosen
     * @param cameras the webcams that scan it (an {@link AutoCloseable} one is closed with the window)
     */
    public SettingsView(SettingsViewModel viewModel, Dialogs dialogs, Cameras cameras) {
        this.viewModel = viewModel;
        this.dialogs = dialogs;
        this.cameras = cameras;
        Label title = new Label("Settings");
        title.getStyleClass().add("title-2");

        VBox column = new VBox(10, title);
        column.getChildren().addAll(section("Relay", relay()));
        column.getChildren().addAll(section("This account's devices", devices()));
        column.getChildren().addAll(section("Passphrase", passphrase()));
        column.getChildren().addAll(section("Locking", autoLock()));
        column.getChildren().addAll(section("When a verified contact adds a device", holdPolicy()));
        column.getChildren().addAll(section("Appearance and notifications", looks()));
        column.getChildren().addAll(section("Archive", archive()));
        Button close = new Button("Close");
        close.setId("settingsClose");
        close.setCancelButton(true);
        close.setOnAction(e -> getScene().getWindow().hide());
        HBox closeRow = new HBox(close);
        closeRow.setAlignment(Pos.CENTER_RIGHT);
        column.getChildren().addAll(new Separator(), closeRow);
        column.setPadding(new Insets(20));
        column.setMaxWidth(640);
        setContent(column);
        setFitToWidth(true);
        setId("settings");
        viewModel.load();
    }

    public SettingsViewModel viewModel() {
        return viewModel;
    }

    /** Opens the settings over {@code owner}, with the owner's styles. */
    public static Stage show(Window owner, SettingsViewModel viewModel) {
        return show(owner, viewModel, Dialogs.SYSTEM);
    }

    /** Opens the settings over {@code owner}, choosing pictures through {@code dialogs}. */
    public static Stage show(Window owner, SettingsViewModel viewModel, Dialogs dialogs) {
        SettingsView view = new SettingsView(viewModel, dialogs, new OpenPnpCameras());
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Vouch: settings");
        stage.getIcons().setAll(dev.vouch.ui.shell.VouchDesktop.icons());
        Scene scene = new Scene(view, 620, 720);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            view.clearPassphrases();
            view.stopCamera();
        });
        stage.show();
        return stage;
    }

    private static List<Node> section(String name, Node... content) {
        Label heading = new Label(name);
        heading.getStyleClass().add("title-4");
        List<Node> out = new ArrayList<>();
        out.add(new Separator());
        out.add(heading);
        out.addAll(List.of(content));
        return out;
    }

    private static Label muted(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("text-muted");
        return label;
    }

    /** A read-only field: selectable and copyable, reached with Tab. */
    private static TextField shown(String id, String text) {
        TextField field = new TextField(text);
        field.setId(id);
        field.setEditable(false);
        HBox.setHgrow(field, Priority.ALWAYS);
        return field;
    }

    private static HBox labelled(String label, Node field) {
        Label name = new Label(label);
        name.setMinWidth(110);
        name.setLabelFor(field);
        HBox row = new HBox(8, name, field);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node relay() {
        Button copy = new Button("Copy address and pins");
        copy.setId("relayCopy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(viewModel.pinsText());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Label how = muted(SettingsViewModel.HOW_TO_CHECK);
        how.setId("relayHowToCheck");
        return new VBox(6, labelled("Address", shown("relayAddress", viewModel.relayAddress())),
                labelled("TLS key pin", shown("relayPin", viewModel.relayPin())),
                labelled("Log key", shown("relayLogKey", viewModel.logKey())), how, copy);
    }

    private Node devices() {
        ListView<DeviceRow> list = new ListView<>(viewModel.devices());
        list.setId("ownDevices");
        list.setPrefHeight(110);
        list.setPlaceholder(new Label("No devices listed."));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(DeviceRow row, boolean empty) {
                super.updateItem(row, empty);
                setText(empty || row == null ? null : row.name() + (row.thisDevice() ? " (this device)" : "")
                        + "   key " + row.fingerprint() + "   added " + DATE.format(row.addedAt()));
            }
        });
        Label version = muted("");
        version.setId("deviceListVersion");
        version.textProperty().bind(viewModel.deviceListVersionProperty());
        Label problem = new Label();
        problem.setId("devicesProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.devicesProblemProperty());
        linking = viewModel.linkDevice(cameras);
        Node linkPane = linkPane(linking);
        linkPane.setVisible(false);
        linkPane.managedProperty().bind(linkPane.visibleProperty());
        Button link = new Button("Link a new device…");
        link.setId("linkDevice");
        link.setOnAction(e -> {
            if (!linkPane.isVisible()) {
                linkPane.setVisible(true);
                linking.camera().find(); // only now: the camera library loads when it is wanted
            }
            linkPane.lookup("#linkCodeInput").requestFocus();
        });

        Label warning = new Label();
        warning.setId("unlinkWarning");
        warning.setWrapText(true);
        warning.getStyleClass().add("warning");
        Button confirm = new Button("Unlink");
        confirm.setId("confirmUnlink");
        Button keep = new Button("Keep it");
        keep.setId("keepDevice");
        VBox confirmation = new VBox(6, warning, new HBox(8, confirm, keep));
        confirmation.setId("unlinkConfirm");
        confirmation.setVisible(false);
        confirmation.managedProperty().bind(confirmation.visibleProperty());
        Button unlink = new Button("Unlink…");
        unlink.setId("unlinkDevice");
        unlink.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            DeviceRow row = list.getSelectionModel().getSelectedItem();
            return row == null || row.thisDevice();
        }, list.getSelectionModel().selectedItemProperty()));
        unlink.setOnAction(e -> {
            DeviceRow row = list.getSelectionModel().getSelectedItem();
            if (row != null) {
                warning.setText(SettingsViewModel.unlinkWarning(row));
                confirm.setText("Unlink " + row.name());
                confirm.setOnAction(c -> {
                    confirmation.setVisible(false);
                    viewModel.unlink(row);
                });
                confirmation.setVisible(true);
                keep.requestFocus();
            }
        });
        keep.setOnAction(e -> confirmation.setVisible(false));
        HBox actions = new HBox(8, link, unlink);
        actions.setId("deviceActions");
        return new VBox(6, list, version, actions, confirmation, linkPane, problem);
    }

    /**
     * "Link a new device": the new device's code, pasted as text or read from a picture (chosen,
     * dropped, or pasted with Ctrl+V); then its name and key fingerprint to confirm; then progress.
     */
    private Node linkPane(LinkDeviceViewModel linking) {
        Label how = muted("On the new device, choose \"Link to an account I already use\": it shows a code."
                + " Paste its text here, or open, drop or paste a picture of its QR code.");
        TextField input = new TextField();
        input.setId("linkCodeInput");
        input.setPromptText("VOUCHLINK1:…");
        input.textProperty().bindBidirectional(linking.codeTextProperty());
        HBox.setHgrow(input, Priority.ALWAYS);
        Button check = new Button("Check code");
        check.setId("checkLinkCode");
        check.setOnAction(e -> linking.takePasted());
        input.setOnAction(check.getOnAction());
        CodeScanControls.Target target = new CodeScanControls.Target() {
            @Override
            public void file(java.nio.file.Path file) {
                linking.scanFile(file);
            }

            @Override
            public void image(java.awt.image.BufferedImage image) {
                linking.scanImage(image);
            }

            @Override
            public boolean text(String text) {
                linking.codeTextProperty().set(text);
                linking.takePasted();
                return true;
            }

            @Override
            public void nothing() {
                linking.nothingToScan();
            }
        };
        CodeScanControls scan = new CodeScanControls(linking.camera(), () -> dialogs.chooseImage(getScene().getWindow())
                .ifPresent(linking::scanFile), target, "…or drop a picture of the new device's code here, or paste"
                + " it with Ctrl+V.");
        VBox code = new VBox(6, how, new HBox(8, input, check), scan);
        code.visibleProperty().bind(linking.stepProperty().isNotEqualTo(LinkDeviceViewModel.Step.CONFIRM)
                .and(linking.stepProperty().isNotEqualTo(LinkDeviceViewModel.Step.LINKING)));
        code.managedProperty().bind(code.visibleProperty());
        code.disableProperty().bind(linking.stepProperty().isEqualTo(LinkDeviceViewModel.Step.CHECKING));

        Label fingerprint = new Label();
        fingerprint.setId("newDeviceFingerprint");
        fingerprint.setWrapText(true);
        fingerprint.textProperty().bind(javafx.beans.binding.Bindings.concat("The new device's key: ",
                linking.fingerprintProperty(), ". Link it only if its screen shows the same."));
        TextField name = new TextField();
        name.setId("newDeviceName");
        name.textProperty().bindBidirectional(linking.nameProperty());
        Button confirm = new Button("Link this device");
        confirm.setId("confirmLink");
        confirm.setOnAction(e -> linking.confirm());
        Button cancel = new Button("Cancel");
        cancel.setId("cancelLinkDevice");
        cancel.setOnAction(e -> linking.cancel());
        VBox confirmation = new VBox(6, fingerprint, labelled("Its name", name), new HBox(8, confirm, cancel));
        confirmation.visibleProperty().bind(linking.stepProperty().isEqualTo(LinkDeviceViewModel.Step.CONFIRM));
        confirmation.managedProperty().bind(confirmation.visibleProperty());

        Label status = new Label();
        status.setId("linkStatus");
        status.setWrapText(true);
        status.textProperty().bind(linking.statusProperty());
        Label problem = new Label();
        problem.setId("linkDeviceProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(linking.problemProperty());
        VBox pane = new VBox(6, code, confirmation, status, problem);
        pane.setId("linkPane");
        CodeScanControls.acceptDropsAndPaste(pane, target);
        return pane;
    }

    /** The window closes: the camera stops and its library's context is released. */
    private void stopCamera() {
        if (linking != null) {
            linking.camera().dispose();
        }
        if (cameras instanceof AutoCloseable closeable) {
            viewModel.background(() -> {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // releasing the camera library's context: nothing the person can act on
                }
            });
        }
    }

    private Node passphrase() {
        current.setId("currentPassphrase");
        current.setPromptText("Current passphrase");
        next.passphrase().setId("newPassphrase");
        next.repeat().setId("repeatPassphrase");
        next.noRecovery().setId("settingsNoRecovery");
        next.judgedBy(viewModel.strengthProperty(), (typed, repeated) -> viewModel.newPassphraseChanged(typed));
        Button change = new Button("Change passphrase");
        change.setId("changePassphrase");
        change.setOnAction(e -> viewModel.changePassphrase(take(current), take(next.passphrase()),
                take(next.repeat())));
        next.repeat().setOnAction(change.getOnAction());
        Label status = new Label();
        status.setId("passphraseStatus");
        status.setWrapText(true);
        status.textProperty().bind(viewModel.passphraseStatusProperty());
        Label problem = new Label();
        problem.setId("passphraseProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.passphraseProblemProperty());
        VBox form = new VBox(6, current, next, change, status, problem);
        current.disableProperty().bind(viewModel.changingProperty());
        next.disableProperty().bind(viewModel.changingProperty());
        change.disableProperty().bind(viewModel.changingProperty());
        return form;
    }

    private Node autoLock() {
        ComboBox<Duration> choice = new ComboBox<>();
        choice.setId("autoLock");
        List<Duration> items = new ArrayList<>(SettingsViewModel.AUTO_LOCK_CHOICES);
        Duration now = viewModel.autoLockProperty().get();
        if (now != null && !items.contains(now)) {
            items.add(0, now);
        }
        choice.getItems().setAll(items);
        choice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Duration d) {
                return d == null ? "" : SettingsViewModel.describe(d);
            }

            @Override
            public Duration fromString(String text) {
                return null;
            }
        });
        choice.valueProperty().bindBidirectional(viewModel.autoLockProperty());
        return new VBox(6, labelled("Lock Vouch", choice), muted("Without a key press or mouse move for this long,"
                + " Vouch locks: the keys leave memory and your passphrase is needed again. Ctrl+L locks at once."));
    }

    private Node holdPolicy() {
        ToggleGroup group = new ToggleGroup();
        RadioButton announce = new RadioButton("Announce it in the conversation only");
        announce.setId("announceOnly");
        announce.setToggleGroup(group);
        RadioButton hold = new RadioButton("Also hold my messages to them until I review the new device");
        hold.setId("holdNewDevices");
        hold.setToggleGroup(group);
        hold.setWrapText(true);
        Runnable show = () -> group.selectToggle(viewModel.holdNewDevicesProperty().get() ? hold : announce);
        show.run();
        viewModel.holdNewDevicesProperty().addListener((o, was, now) -> show.run());
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now != null) {
                viewModel.holdNewDevicesProperty().set(now == hold);
            }
        });
        announce.disableProperty().bind(viewModel.holdPolicyKnownProperty().not());
        hold.disableProperty().bind(viewModel.holdPolicyKnownProperty().not());
        Label problem = new Label();
        problem.setId("holdProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.holdProblemProperty());
        return new VBox(6, announce, hold, muted("A new account key of a verified contact always holds your"
                + " messages until you review it; this chooses whether a new device of theirs does too."), problem);
    }

    private Node looks() {
        ComboBox<ThemeChoice> theme = new ComboBox<>();
        theme.setId("themeChoice");
        theme.getItems().setAll(ThemeChoice.values());
        theme.setConverter(converter(ThemeChoice::label));
        theme.valueProperty().bindBidirectional(viewModel.themeProperty());
        CheckBox on = new CheckBox("Notify me of new messages when their conversation is not in front of me");
        on.setId("notificationsOn");
        on.setWrapText(true);
        on.selectedProperty().bindBidirectional(viewModel.notificationsProperty());
        ComboBox<NotificationContent> content = new ComboBox<>();
        content.setId("notificationContent");
        content.getItems().setAll(NotificationContent.values());
        content.setConverter(converter(NotificationContent::label));
        content.valueProperty().bindBidirectional(viewModel.notificationContentProperty());
        content.disableProperty().bind(on.selectedProperty().not());
        return new VBox(6, labelled("Theme", theme), on, labelled("They show", content),
                muted("Notifications appear outside Vouch, where anyone near your screen can read them: the"
                        + " message text is shown only if you choose it here."));
    }

    private Node archive() {
        Button open = new Button("Export or import...");
        open.setId("settingsArchive");
        open.setOnAction(e -> ArchiveView.show(getScene().getWindow(), viewModel.archive()));
        return new VBox(6, muted("Move your history, and your account if you choose, to another computer in one"
                + " encrypted file."), open);
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> label) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : label.apply(value);
            }

            @Override
            public T fromString(String text) {
                return null;
            }
        };
    }

    private void clearPassphrases() {
        current.clear();
        next.clear();
    }

    /** The field's characters, cleared from the field. */
    private static char[] take(PasswordField field) {
        char[] out = field.getText().toCharArray();
        field.clear();
        return out;
    }
}
