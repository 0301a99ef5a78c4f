package dev.vouch.ui.shell;

import dev.vouch.ui.common.Theme;
import dev.vouch.ui.common.ThemeChoice;
import dev.vouch.ui.common.UiSettings;
import dev.vouch.ui.conversations.ConversationViewModel;
import dev.vouch.ui.conversations.ConversationsView;
import dev.vouch.ui.notifications.MessageNotifications;
import dev.vouch.ui.notifications.Notifier;
import dev.vouch.ui.notifications.Notifiers;
import dev.vouch.ui.onboarding.OnboardingView;
import dev.vouch.ui.review.ReminderBanner;
import dev.vouch.ui.review.RemindersViewModel;
import dev.vouch.ui.settings.SettingsView;
import dev.vouch.ui.settings.SettingsViewModel;
import dev.vouch.ui.unlock.UnlockView;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The desktop app's window: shows the first-run, unlock or main screen as the profile's state
 * changes, applies the theme, remembers the window's place, locks on Ctrl+L (Cmd+L) and after the
 * idle timeout, opens the settings on Ctrl+, notifies of messages that arrive out of sight, and
 * brings back the review banner of a "remind me later" when it is due.
 * Built by the launcher in {@code dev.vouch.app} or by a test, on the JavaFX thread.
 */
public final class VouchDesktop {
    public static final KeyCombination LOCK = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    public static final KeyCombination THEME = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    public static final KeyCombination SETTINGS = new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN);

    private final DesktopConfig config;
    private final ShellViewModel viewModel;
    private final UiSettings settings;
    private final StackPane root = new StackPane();
    private Stage stage;
    private Timeline idleCheck;
    private ConversationsView main;
    private Theme theme;
    private ThemeChoice themeChoice;
    private final Function<StackPane, Notifier> notifiers;
    private Notifier notifier;
    private MessageNotifications notifications;
    private RemindersViewModel reminders;
    private Stage settingsWindow;

    public VouchDesktop(DesktopConfig config) {
        this(config, root -> Notifiers.forDesktop(root, config.executors().background()));
    }

    /** @param notifiers how notifications are shown, given the window's root (the system's way by default) */
    public VouchDesktop(DesktopConfig config, Function<StackPane, Notifier> notifiers) {
        this.config = config;
        this.viewModel = new ShellViewModel(config);
        this.settings = UiSettings.load(config.profile());
        this.notifiers = notifiers;
        settings.autoLock().ifPresent(viewModel::idleTimeout);
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
        if (settings.themeChoice() == ThemeChoice.SYSTEM) {
            applyTheme(ThemeChoice.SYSTEM);
        }
        notifier = notifiers.apply(root);
        Scene scene = new Scene(root, 1000, 700);
        watch(scene);
        scene.getAccelerators().put(THEME, this::toggleTheme);
        scene.getAccelerators().put(SETTINGS, this::openSettings);
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
        idleCheck = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> {
            if (!viewModel.checkIdle() && reminders != null) {
                reminders.tick();
            }
        }));
        idleCheck.setCycleCount(Timeline.INDEFINITE);
        idleCheck.play();
        window.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> stop());
        window.show();
    }

    /** A window of the app: using it counts as activity for the auto-lock, and Ctrl+L locks from it. */
    private void watch(Scene scene) {
        scene.addEventFilter(KeyEvent.ANY, e -> viewModel.touch());
        scene.addEventFilter(MouseEvent.MOUSE_MOVED, e -> viewModel.touch());
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> viewModel.touch());
        scene.getAccelerators().put(LOCK, viewModel::lock);
    }

    private static boolean onSomeScreen(UiSettings.Geometry g) {
        return !Screen.getScreensForRectangle(new Rectangle2D(g.x(), g.y(), g.width(), g.height())).isEmpty();
    }

    public void toggleTheme() {
        theme = theme.other();
        themeChoice = ThemeChoice.of(theme);
        theme.apply();
        settings.theme(theme);
        settings.save();
    }

    /** Paints with the chosen theme; following the system asks it in the background. */
    private void applyTheme(ThemeChoice choice) {
        themeChoice = choice;
        if (choice != ThemeChoice.SYSTEM) {
            theme = choice.resolve();
            theme.apply();
            return;
        }
        config.executors().run(choice::resolve, system -> {
            if (themeChoice == ThemeChoice.SYSTEM) {
                theme = system;
                theme.apply();
            }
        }, failure -> {
        });
    }

    /** Opens the settings window over the main window (or brings it forward); only while unlocked. */
    public void openSettings() {
        if (viewModel.screenProperty().get() != ShellViewModel.Screen.MAIN || viewModel.sessionProperty().get() == null) {
            return;
        }
        if (settingsWindow != null && settingsWindow.isShowing()) {
            settingsWindow.toFront();
            return;
        }
        SettingsViewModel model = new SettingsViewModel(viewModel.sessionProperty().get(), settings,
                viewModel.idleTimeout(), config.executors(), config.kdf(), config.clock(), new SettingsViewModel.Effects() {
                    @Override
                    public void autoLock(Duration timeout) {
                        viewModel.idleTimeout(timeout);
                    }

                    @Override
                    public void theme(ThemeChoice choice) {
                        applyTheme(choice);
                    }
                });
        settingsWindow = SettingsView.show(stage, model, config.dialogs());
        watch(settingsWindow.getScene());
    }

    /** The settings window while it is open. */
    public Optional<Stage> settingsWindow() {
        return Optional.ofNullable(settingsWindow).filter(Stage::isShowing);
    }

    private void show(ShellViewModel.Screen screen) {
        if (main != null && screen != ShellViewModel.Screen.MAIN) {
            leaveMain();
        }
        Parent view = switch (screen) {
            case STARTING -> new Label("Opening Vouch…");
            case ONBOARDING -> new OnboardingView(config, viewModel::created);
            case UNLOCK -> new UnlockView(viewModel, config.executors());
            case MAIN -> {
                main = new ConversationsView(viewModel, config);
                Button open = new Button("Settings");
                open.setId("settingsButton");
                open.setTooltip(new javafx.scene.control.Tooltip("Relay pins, devices, passphrase, locking,"
                        + " notifications (Ctrl+,)"));
                open.setOnAction(e -> openSettings());
                main.addTool(open);
                ConversationsView shown = main;
                notifications = new MessageNotifications(viewModel.sessionProperty().get(), settings,
                        config.executors(), notifier, stage::isFocused, () -> Optional.ofNullable(
                                shown.viewModel().openProperty().get()).map(ConversationViewModel::peer));
                Label removed = new Label(dev.vouch.ui.common.LinkProblems.REMOVED);
                removed.setId("removedNotice");
                removed.setWrapText(true);
                removed.setMaxWidth(Double.MAX_VALUE);
                removed.getStyleClass().addAll("danger", "title-4");
                removed.setPadding(new javafx.geometry.Insets(10));
                removed.visibleProperty().bind(viewModel.removedProperty());
                removed.managedProperty().bind(removed.visibleProperty());
                reminders = new RemindersViewModel(viewModel.sessionProperty().get(), config.executors(), settings,
                        notifier);
                main.onReviewed(reminders::check);
                reminders.check();
                javafx.scene.layout.BorderPane framed = new javafx.scene.layout.BorderPane(main);
                framed.setTop(new javafx.scene.layout.VBox(removed, new ReminderBanner(reminders, shown::review)));
                yield framed;
            }
        };
        root.getChildren().setAll(view);
    }

    /** Locked or closing: the main window's parts that hold the session go. */
    private void leaveMain() {
        if (settingsWindow != null) {
            settingsWindow.hide();
            settingsWindow = null;
        }
        if (notifications != null) {
            notifications.close();
            notifications = null;
        }
        if (reminders != null) {
            reminders.dispose();
            reminders = null;
        }
        main.dispose();
        main = null;
    }

    /** Remembers the window, stops the engine and the embedded relay, closes the store. */
    public void stop() {
        if (idleCheck == null) {
            return;
        }
        idleCheck.stop();
        idleCheck = null;
        if (main != null) {
            leaveMain();
        }
        notifier.close();
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
