package dev.vouch.ui.onboarding;

import dev.vouch.store.ProfileStore;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.shell.DesktopConfig;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The first-run screen. */
public final class OnboardingView extends ScrollPane {
    private final OnboardingViewModel viewModel;
    private final NewPassphraseFields passphrase = new NewPassphraseFields(10, "Passphrase",
            "The same passphrase again");

    public OnboardingView(DesktopConfig config, Consumer<ProfileStore> created) {
        this.viewModel = new OnboardingViewModel(config, store -> {
            passphrase.clear();
            created.accept(store);
        });
        Label title = new Label("Welcome to Vouch");
        title.getStyleClass().add("title-1");
        Label intro = new Label("Your messages are encrypted on this computer and stay here, locked with a"
                + " passphrase only you know.");
        intro.setWrapText(true);

        passphrase.passphrase().setId("passphrase");
        passphrase.repeat().setId("repeat");
        passphrase.noRecovery().setId("noRecovery");
        passphrase.judgedBy(viewModel.strengthProperty(), viewModel::passphraseChanged);

        TextField handle = new TextField();
        handle.setId("handle");
        handle.setPromptText("Your handle, e.g. alice");
        handle.textProperty().bindBidirectional(viewModel.handleProperty());
        Label handleHint = new Label();
        handleHint.setWrapText(true);
        handleHint.getStyleClass().add("text-muted");
        handle.textProperty().addListener((o, was, now) -> handleHint.setText(viewModel.handleHint()));

        TextField invite = new TextField();
        invite.setId("invite");
        invite.setPromptText("Paste the invite link (vouch://relay?…) from whoever runs your relay");
        invite.textProperty().bindBidirectional(viewModel.inviteProperty());
        Button create = new Button("Create profile");
        create.setId("create");
        create.setDefaultButton(true);
        create.disableProperty().bind(viewModel.readyForInviteProperty().not());
        create.setOnAction(e -> viewModel.createWithInvite(passphrase.typed()));
        HBox inviteRow = new HBox(8, invite, create);
        HBox.setHgrow(invite, Priority.ALWAYS);

        Button local = new Button("Try it on this computer");
        local.setId("tryLocal");
        local.disableProperty().bind(viewModel.readyForLocalProperty().not());
        local.setOnAction(e -> viewModel.createWithLocalRelay(passphrase.typed()));
        Label localHint = new Label("Starts a relay inside Vouch, reachable from this computer only: enough to"
                + " try Vouch with a second profile here.");
        localHint.setWrapText(true);
        localHint.getStyleClass().add("text-muted");

        Button demo = new Button("See a demo");
        demo.setId("seeDemo");
        demo.setOnAction(e -> viewModel.seeDemo(prepared -> DemoWindows.open(prepared, config, () -> { })));
        Label demoHint = new Label("Opens Alice and Bob, already talking through a relay on this computer, with a"
                + " control that makes the relay lie: see each protection of Vouch at work. Nothing here is kept.");
        demoHint.setWrapText(true);
        demoHint.getStyleClass().add("text-muted");
        Label demoProgress = new Label();
        demoProgress.setId("demoProgress");
        demoProgress.setWrapText(true);
        demoProgress.textProperty().bind(viewModel.demoProgressProperty());
        demoProgress.managedProperty().bind(demoProgress.textProperty().isNotEmpty());

        Label progress = new Label();
        progress.setId("onboardingProgress");
        progress.textProperty().bind(viewModel.progressProperty());
        Label problem = new Label();
        problem.setId("onboardingProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.problemProperty());

        VBox form = new VBox(10, title, intro, demo, demoHint, demoProgress, new Separator(),
                new Label("Passphrase"), passphrase,
                new Label("Handle"), handle, handleHint,
                new Separator(), new Label("Relay"), inviteRow, new Label("or"), local, localHint,
                progress, problem, new Separator(), linkChoice(config, created));
        form.setPadding(new Insets(32));
        form.setMaxWidth(560);
        form.disableProperty().bind(viewModel.busyProperty());
        VBox centered = new VBox(form);
        centered.setAlignment(Pos.TOP_CENTER);
        setContent(centered);
        setFitToWidth(true);
    }

    /** The third way: this computer joins an account already used on another device. */
    private VBox linkChoice(DesktopConfig config, Consumer<ProfileStore> created) {
        Button link = new Button("Link to an account I already use");
        link.setId("linkChoice");
        link.disableProperty().bind(viewModel.busyProperty());
        Label hint = new Label("Already use Vouch on another computer? Show a code here and take it there: your"
                + " contacts and recent messages come along.");
        hint.setWrapText(true);
        hint.getStyleClass().add("text-muted");
        link.setOnAction(e -> {
            javafx.scene.Node choices = getContent();
            LinkView[] linking = new LinkView[1];
            linking[0] = new LinkView(config, created, () -> {
                // Back to the choices: a profile the link screen created is the one the create path registers.
                linking[0].viewModel().store().ifPresent(viewModel::reuse);
                setContent(choices);
            });
            VBox centered = new VBox(linking[0]);
            centered.setAlignment(Pos.TOP_CENTER);
            setContent(centered);
        });
        return new VBox(6, link, hint);
    }

    public OnboardingViewModel viewModel() {
        return viewModel;
    }
}
