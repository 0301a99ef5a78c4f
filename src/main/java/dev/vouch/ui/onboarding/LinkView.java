package dev.vouch.ui.onboarding;

import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.QrCodeView;
import dev.vouch.ui.shell.DesktopConfig;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The first run's third way, "Link to an account I already use": the form, then the link code as
 * a large QR code and as text with a Copy button, the time it still works, and Cancel; after an
 * expiry or a refusal, "Show a new code".
 */
final class LinkView extends VBox {
    private final LinkViewModel viewModel;
    private final NewPassphraseFields passphrase = new NewPassphraseFields(10,
            "A passphrase for Vouch on this computer", "The same passphrase again");
    private final Timeline ticking;

    LinkView(DesktopConfig config, Consumer<ProfileStore> linked, Runnable back) {
        super(10);
        this.viewModel = new LinkViewModel(config, store -> {
            passphrase.clear();
            linked.accept(store);
        });
        setId("linkScreen");
        Label title = new Label("Link to an account I already use");
        title.getStyleClass().add("title-1");
        title.setWrapText(true);
        Label intro = muted("This computer becomes another device of your account: it gets your contacts and recent"
                + " messages from a device you already use, which has to accept it.");

        passphrase.passphrase().setId("linkPassphrase");
        passphrase.repeat().setId("linkRepeat");
        passphrase.judgedBy(viewModel.strengthProperty(), viewModel::passphraseChanged);
        TextField invite = new TextField();
        invite.setId("linkInvite");
        invite.setPromptText("Paste your relay's invite link (vouch://relay?…)");
        invite.textProperty().bindBidirectional(viewModel.inviteProperty());
        TextField name = new TextField();
        name.setId("linkName");
        name.textProperty().bindBidirectional(viewModel.nameProperty());
        Button show = new Button("Show the link code");
        show.setId("showLinkCode");
        show.setDefaultButton(true);
        show.disableProperty().bind(viewModel.readyProperty().not());
        show.setOnAction(e -> viewModel.showCode(passphrase.typed()));
        Button backButton = new Button("Back");
        backButton.setId("linkBack");
        backButton.setOnAction(e -> back.run());
        VBox form = new VBox(10, new Label("Passphrase for this computer"), passphrase,
                new Label("Your relay"), invite, new Label("This device's name, as your other devices will list it"),
                name, new HBox(8, show, backButton));
        form.visibleProperty().bind(viewModel.stepProperty().isNotEqualTo(LinkViewModel.Step.WAITING));
        form.managedProperty().bind(form.visibleProperty());
        form.disableProperty().bind(viewModel.busyProperty());

        QrCodeView qr = new QrCodeView("linkQr", viewModel.qrProperty());
        Label how = muted("On a device where you already use Vouch, open Settings, then \"Link a new device\", and"
                + " scan this code, or copy the text below and paste it there.");
        TextField text = new TextField();
        text.setId("linkCodeText");
        text.setEditable(false);
        text.textProperty().bind(viewModel.codeTextProperty());
        HBox.setHgrow(text, Priority.ALWAYS);
        Button copy = new Button("Copy");
        copy.setId("copyLinkCode");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(viewModel.codeTextProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Label fingerprint = new Label();
        fingerprint.setId("linkFingerprint");
        fingerprint.setWrapText(true);
        fingerprint.textProperty().bind(Bindings.concat("This device's key: ", viewModel.fingerprintProperty(),
                ". Check that your other device shows the same before it links."));
        Label countdown = new Label();
        countdown.setId("linkCountdown");
        countdown.textProperty().bind(viewModel.countdownProperty());
        Label waiting = new Label("Waiting for your other device…");
        waiting.setId("linkWaiting");
        Button cancel = new Button("Cancel");
        cancel.setId("cancelLink");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> viewModel.cancel());
        VBox code = new VBox(10, how, qr, new HBox(8, text, copy), fingerprint, countdown, waiting, cancel);
        code.visibleProperty().bind(viewModel.stepProperty().isEqualTo(LinkViewModel.Step.WAITING));
        code.managedProperty().bind(code.visibleProperty());

        Button again = new Button("Show a new code");
        again.setId("newLinkCode");
        again.visibleProperty().bind(viewModel.stepProperty().isEqualTo(LinkViewModel.Step.EXPIRED)
                .or(viewModel.stepProperty().isEqualTo(LinkViewModel.Step.FAILED)));
        again.managedProperty().bind(again.visibleProperty());
        again.disableProperty().bind(viewModel.busyProperty());
        again.setOnAction(e -> viewModel.showNewCode());

        Label progress = new Label();
        progress.setId("linkProgress");
        progress.textProperty().bind(viewModel.progressProperty());
        Label problem = new Label();
        problem.setId("linkProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.problemProperty());

        getChildren().addAll(title, intro, new Separator(), form, code, progress, problem, again);
        setPadding(new Insets(32));
        setMaxWidth(560);
        ticking = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> viewModel.tick()));
        ticking.setCycleCount(Timeline.INDEFINITE);
        sceneProperty().addListener((o, was, now) -> {
            if (now == null) {
                ticking.stop();
            } else {
                ticking.play();
            }
        });
    }

    LinkViewModel viewModel() {
        return viewModel;
    }

    private static Label muted(String text) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.getStyleClass().add("text-muted");
        return label;
    }
}
