package dev.vouch.ui.demo;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The "misbehaving relay" control panel of the demo. */
public final class DemoView extends VBox {
    public DemoView(DemoViewModel viewModel) {
        super(10);
        Label title = new Label("Misbehaving relay");
        title.getStyleClass().add("title-3");
        Label intro = new Label("Alice and Bob talk through a relay on this computer. Make the relay lie the way"
                + " an attacker who runs it would, and see their apps catch it.");
        intro.setWrapText(true);

        Button substitute = button("substituteKey", "Substitute Bob's key",
                "The relay serves Alice a key of its own for Bob, which its log does not hold", viewModel::substituteKey);
        Button inject = button("injectDevice", "Inject a device",
                "The relay adds a device of its own to Bob's device list, which Bob never signed", viewModel::injectDevice);
        Button split = button("splitView", "Show a split view",
                "The relay shows Bob another log than Alice's; Bob writes to Alice", viewModel::splitView);
        Button behave = button("behave", "Behave again", "The relay answers honestly again", viewModel::behave);
        substitute.getStyleClass().add("danger");
        inject.getStyleClass().add("danger");
        split.getStyleClass().add("danger");
        behave.getStyleClass().add("success");
        FlowPane actions = new FlowPane(8, 8, substitute, inject, split, behave);
        actions.disableProperty().bind(viewModel.busyProperty());

        Label status = new Label();
        status.setId("demoStatus");
        status.setWrapText(true);
        status.textProperty().bind(viewModel.statusProperty());
        Label problem = new Label();
        problem.setId("demoProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add("danger");
        problem.textProperty().bind(viewModel.problemProperty());
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());

        Label where = new Label("Throwaway profiles and relay in " + viewModel.demo().folder()
                + ", deleted when the demo closes. A window locked with Ctrl+L unlocks with "
                + viewModel.demo().passphrase() + ".");
        where.setId("demoFolder");
        where.setWrapText(true);
        where.getStyleClass().add("text-muted");

        getChildren().addAll(title, intro, actions, status, problem, where);
        setPadding(new Insets(14));
    }

    private static Button button(String id, String text, String tip, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setTooltip(new Tooltip(tip));
        button.setOnAction(e -> action.run());
        return button;
    }
}
