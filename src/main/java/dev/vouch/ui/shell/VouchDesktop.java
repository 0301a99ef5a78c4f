package dev.vouch.ui.shell;

import dev.vouch.ui.common.Theme;
import dev.vouch.ui.common.UiSettings;
import dev.vouch.ui.conversations.ConversationsView;
import dev.vouch.ui.onboarding.OnboardingView;
import dev.vouch.ui.unlock.UnlockView;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The desktop app's window: shows the first-run, unlock or main screen as the profile's state
 * changes, applies the theme, remembers the window's place, locks on Ctrl+L (Cmd+L) and after the
 * idle timeout. Built by the launcher in {@code dev.vouch.app} or by a test, on the JavaFX thread.
 */
public final class VouchDesktop {
    public static final KeyCombination LOCK = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    public static final KeyCombination THEME = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    private final DesktopConfig config;
    private final ShellViewModel viewModel;
    private final UiSettings settings;
    private final StackPane root = new StackPane();
    private Stage stage;
    private Timeline idleCheck;
    private ConversationsView main;
    private Theme theme;

    public VouchDesktop(DesktopConfig config) {
        this.config = config;
        this.viewModel = new ShellViewModel(config);
        this.settings = UiSettings.load(config.profile());
    }

    public ShellViewModel viewModel() {
        return viewModel;
    }

    public Stage stage() {
        return stage;
    }

    public void start(Stage window) {
        open(window);
        viewModel.start();
    }

    /** Opens the window on a profile that is already unlocked (the demo's): no unlock screen. */
    public void startUnlocked(Stage window, dev.vouch.store.ProfileStore unlocked) {
        open(window);
        viewModel.created(unlocked);
    }

    private void open(Stage window) {
        this.stage = window;
        theme = settings.theme();
        theme.apply();
        Scene scene = new Scene(root, 1000, 700);
        scene.addEventFilter(KeyEvent.ANY, e -> viewModel.touch());
        scene.addEventFilter(MouseEvent.MOUSE_MOVED, e -> viewModel.touch());
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> viewModel.touch());
        scene.getAccelerators().put(LOCK, viewModel::lock);
        scene.getAccelerators().put(THEME, this::toggleTheme);
        window.setScene(scene);
        window.setTitle("Vouch");
        window.getIcons().setAll(icons());
        window.setMinWidth(640);
        window.setMinHeight(480);
        settings.geometry().filter(VouchDesktop::onSomeScreen).ifPresent(g -> {
            window.setX(g.x());
            window.setY(g.y());
            window.setWidth(g.width());
            window.setHeight(g.height());
            window.setMaximized(g.maximized());
        });
        viewModel.screenProperty().addListener((o, was, now) -> show(now));
        show(viewModel.screenProperty().get());
        idleCheck = new Timeline(new KeyFrame(Duration.seconds(1), e -> viewModel.checkIdle()));
        idleCheck.setCycleCount(Timeline.INDEFINITE);
        idleCheck.play();
        window.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> stop());
        window.show();
    }

    private static boolean onSomeScreen(UiSettings.Geometry g) {
        return !Screen.getScreensForRectangle(new Rectangle2D(g.x(), g.y(), g.width(), g.height())).isEmpty();
    }

    public void toggleTheme() {
        theme = theme.other();
        theme.apply();
        settings.theme(theme);
        settings.save();
    }

    private void show(ShellViewModel.Screen screen) {
        if (main != null && screen != ShellViewModel.Screen.MAIN) {
            main.dispose();
            main = null;
        }
        Parent view = switch (screen) {
            case STARTING -> new Label("Opening Vouch…");
            case ONBOARDING -> new OnboardingView(config, viewModel::created);
            case UNLOCK -> new UnlockView(viewModel, config.executors());
            case MAIN -> {
                main = new ConversationsView(viewModel, config);
                yield main;
            }
        };
        root.getChildren().setAll(view);
    }

    /** Remembers the window, stops the engine and the embedded relay, closes the store. */
    public void stop() {
        if (idleCheck == null) {
            return;
        }
        idleCheck.stop();
        idleCheck = null;
        if (main != null) {
            main.dispose();
            main = null;
        }
        settings.geometry(new UiSettings.Geometry(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                stage.isMaximized()));
        settings.save();
        viewModel.close();
    }

    /** The Vouch mark at every size the window system may pick from (generated by icons/generate.sh). */
    public static java.util.List<javafx.scene.image.Image> icons() {
        java.util.List<javafx.scene.image.Image> out = new java.util.ArrayList<>();
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            java.io.InputStream in = VouchDesktop.class.getResourceAsStream("/dev/vouch/app/icon-" + size + ".png");
            if (in != null) {
                out.add(new javafx.scene.image.Image(in));
            }
        }
        return out;
    }
}
