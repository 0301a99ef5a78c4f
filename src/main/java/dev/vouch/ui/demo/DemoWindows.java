package dev.vouch.ui.demo;

import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel;
import dev.vouch.ui.shell.VouchDesktop;
import java.time.Duration;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The demo's three windows: Alice's and Bob's apps side by side, both unlocked on their
 * conversation, and the misbehaving-relay panel below them. Closing any of them closes all three,
 * then the demo (its relay, its folder). Built on the JavaFX thread.
 */
public final class DemoWindows {
    static final double PANEL_HEIGHT = 230;

    private final Demo demo;
    private final DesktopConfig base;
    private final Runnable closed;
    private VouchDesktop alice;
    private VouchDesktop bob;
    private Stage panel;
    private DemoViewModel viewModel;
    private boolean closing;

    private DemoWindows(Demo demo, DesktopConfig base, Runnable closed) {
        this.demo = demo;
        this.base = base;
        this.closed = closed;
    }

    /**
     * Opens the windows of a prepared demo. {@code base} gives the clock, executors, dialogs and
     * messaging options; {@code closed} runs on the UI thread once the demo is closed and deleted.
     */
    public static DemoWindows open(Demo demo, DesktopConfig base, Runnable closed) {
        DemoWindows windows = new DemoWindows(demo, base, closed);
        windows.show();
        return windows;
    }

    public VouchDesktop alice() {
        return alice;
    }

    public VouchDesktop bob() {
        return bob;
    }

    public Stage panel() {
        return panel;
    }

    public DemoViewModel viewModel() {
        return viewModel;
    }

    private void show() {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double width = Math.max(640, screen.getWidth() / 2);
        double height = screen.getHeight() - PANEL_HEIGHT >= 480 ? screen.getHeight() - PANEL_HEIGHT : screen.getHeight();
        alice = desktop("Alice", demo.alice(), screen.getMinX(), screen.getMinY(), width, height);
        bob = desktop("Bob", demo.bob(), screen.getMaxX() - width, screen.getMinY(), width, height);

        viewModel = new DemoViewModel(demo, alice.viewModel().sessionProperty(), bob.viewModel().sessionProperty(),
                base.executors());
        panel = new Stage();
        panel.setTitle("Vouch demo: the misbehaving relay");
        panel.getIcons().setAll(VouchDesktop.icons());
        panel.setScene(new Scene(new DemoView(viewModel), screen.getWidth(), PANEL_HEIGHT));
        panel.setX(screen.getMinX());
        panel.setY(screen.getMaxY() - PANEL_HEIGHT);
        panel.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> close());
        panel.show();
    }

    private VouchDesktop desktop(String name, ProfileStore store, double x, double y, double width, double height) {
        DesktopConfig config = new DesktopConfig(store.directory(), base.kdf(), Duration.ZERO, base.clock(),
                base.messenger(), LocalRelays.NONE, base.executors(), base.dialogs());
        VouchDesktop desktop = new VouchDesktop(config);
        Stage stage = new Stage();
        stage.setX(x);
        stage.setY(y);
        stage.setWidth(width);
        stage.setHeight(height);
        desktop.startUnlocked(stage, store);
        stage.setTitle("Vouch demo: " + name + " (profile in " + store.directory() + ")");
        stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> close());
        desktop.viewModel().screenProperty().addListener((o, was, now) -> {
            if (now == ShellViewModel.Screen.MAIN) {
                openFirstConversation(stage);
            }
        });
        return desktop;
    }

    /** Opens the one conversation as soon as the list shows it: the demo starts already talking. */
    private static void openFirstConversation(Stage stage) {
        if (stage.getScene().getRoot().lookup("#conversations") instanceof ListView<?> list) {
            selectFirstWhenShown(list);
        }
    }

    /**
     * Selects the first item once there is one. Not from inside the list's change: the list's own
     * selection model has not seen it yet, and the window takes a selection made while its list is
     * being reloaded for the reload's, not the user's; so once the change is done.
     */
    private static <T> void selectFirstWhenShown(ListView<T> list) {
        ListChangeListener<T> first = new ListChangeListener<>() {
            @Override
            public void onChanged(Change<? extends T> change) {
                if (!list.getItems().isEmpty()) {
                    list.getItems().removeListener(this);
                    Platform.runLater(() -> {
                        if (list.getSelectionModel().isEmpty() && !list.getItems().isEmpty()) {
                            list.getSelectionModel().select(0);
                        }
                    });
                }
            }
        };
        list.getItems().addListener(first);
        if (!list.getItems().isEmpty()) { // it may show it already
            list.getItems().removeListener(first);
            list.getSelectionModel().select(0);
        }
    }

    /** Closes every window (each closes its profile), then the demo in the background. */
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        for (Stage stage : new Stage[] {alice == null ? null : alice.stage(), bob == null ? null : bob.stage(), panel}) {
            if (stage != null) {
                stage.hide();
            }
        }
        base.executors().run(() -> {
            demo.close();
            return null;
        }, done -> closed.run(), failure -> closed.run());
    }
}
