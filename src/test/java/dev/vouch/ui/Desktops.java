package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.Backoff;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.Dialogs;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Real desktop windows on real profiles for the UI tests: headless under Monocle, fast Argon2id. */
public final class Desktops {
    /** Argon2id small enough for tests; the app uses {@link Argon2id.Params#RECOMMENDED}. */
    public static final Argon2id.Params FAST_KDF = new Argon2id.Params(1024, 1, 1);
    public static final long WAIT_SECONDS = 30;

    private Desktops() {
    }

    public static DesktopConfig config(Path profile, LocalRelays relays, Dialogs dialogs, Clock clock, Duration idle) {
        return new DesktopConfig(profile, FAST_KDF, idle, clock, MESSENGER, relays, UiExecutors.forFx(), dialogs);
    }

    /** The service's defaults, but reconnecting within a second or two after a relay comes back. */
    static final Messenger.Options MESSENGER;

    static {
        RelayConnection.Options relay = RelayConnection.Options.defaults();
        MESSENGER = new Messenger.Options(new RelayConnection.Options(relay.connectTimeout(), relay.requestTimeout(),
                relay.pingInterval(), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 2.0),
                relay.scheduler(), relay.jitter()), Clock.systemUTC(), dev.vouch.protocol.crypto.CryptoRandom.get());
    }

    public static DesktopConfig config(Path profile, LocalRelays relays) {
        return config(profile, relays, owner -> java.util.Optional.empty(), Clock.systemUTC(), Duration.ZERO);
    }

    /** Opens a new window of the app on the FX thread. */
    public static VouchDesktop open(FxRobot robot, DesktopConfig config) {
        return open(robot, config, 0);
    }

    /** Opens a window in one of two columns of the (1280 pixels wide) headless screen, so two never overlap. */
    public static VouchDesktop open(FxRobot robot, DesktopConfig config, int column) {
        return open(robot, config, column, null);
    }

    /**
     * As {@link #open(FxRobot, DesktopConfig, int)}, with notifications shown by {@code notifiers}
     * (given the window's root), or the system's way when null.
     */
    public static VouchDesktop open(FxRobot robot, DesktopConfig config, int column,
                                    java.util.function.Function<javafx.scene.layout.StackPane,
                                            dev.vouch.ui.notifications.Notifier> notifiers) {
        AtomicReference<VouchDesktop> desktop = new AtomicReference<>();
        robot.interact(() -> {
            VouchDesktop d = notifiers == null ? new VouchDesktop(config) : new VouchDesktop(config, notifiers);
            Stage stage = new Stage();
            stage.setX(column * 640);
            stage.setY(0);
            stage.setWidth(640);
            stage.setHeight(760);
            d.start(stage);
            desktop.set(d);
        });
        return desktop.get();
    }

    public static void awaitScreen(VouchDesktop desktop, ShellViewModel.Screen screen) {
        try {
            await("the " + screen + " screen", () -> desktop.viewModel().screenProperty().get() == screen);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the window says: " + problems(desktop), e);
        }
    }

    /** Every problem label the window shows, for failure messages. */
    public static String problems(VouchDesktop desktop) {
        StringBuilder out = new StringBuilder();
        for (Node node : desktop.stage().getScene().getRoot().lookupAll(".label")) {
            if (node.getId() != null && node.getId().toLowerCase(java.util.Locale.ROOT).contains("problem")
                    && node instanceof javafx.scene.control.Label label && !label.getText().isEmpty()) {
                out.append('[').append(node.getId()).append(": ").append(label.getText()).append("] ");
            }
        }
        return out.length() == 0 ? "(no problem shown)" : out.toString();
    }

    /**
     * Gives the node the keyboard as a user would: a click on it when it is in view (which also
     * brings its window forward), else focus from code (a field scrolled out of view).
     */
    public static void focus(FxRobot robot, Node node) {
        robot.interact(() -> ((Stage) node.getScene().getWindow()).toFront());
        if (inView(node)) {
            robot.clickOn(node);
        } else {
            robot.interact(() -> {
                node.getScene().getWindow().requestFocus();
                node.requestFocus();
            });
        }
        await("keyboard focus on " + node.getId(), () -> node.isFocused() && node.getScene().getWindow().isFocused());
    }

    private static boolean inView(Node node) {
        javafx.geometry.Bounds bounds = node.localToScene(node.getBoundsInLocal());
        javafx.scene.Scene scene = node.getScene();
        return bounds.getMinY() >= 0 && bounds.getMaxY() <= scene.getHeight() && bounds.getMinX() >= 0
                && bounds.getMaxX() <= scene.getWidth();
    }

    /** Unlocks the desktop on its unlock screen as a user does (the passphrase typed, then Enter) and waits for the main window. */
    public static void unlock(FxRobot robot, VouchDesktop desktop, String passphrase) {
        awaitScreen(desktop, ShellViewModel.Screen.UNLOCK);
        type(robot, find(desktop, "unlockPassphrase"), passphrase);
        robot.type(javafx.scene.input.KeyCode.ENTER);
        awaitScreen(desktop, ShellViewModel.Screen.MAIN);
    }

    /** Focuses the node and types the text into it with real key events. */
    public static void type(FxRobot robot, Node node, String text) {
        focus(robot, node);
        robot.write(text);
    }

    /** Presses the button as a user would: focus, then the space bar. */
    public static void press(FxRobot robot, javafx.scene.control.ButtonBase button) {
        assertThat(button.isDisabled()).as(button.getId() + " is enabled").isFalse();
        robot.interact(() -> ((Stage) button.getScene().getWindow()).toFront());
        if (inView(button)) {
            robot.clickOn(button);
        } else {
            robot.interact(() -> {
                button.getScene().getWindow().requestFocus();
                button.requestFocus();
            });
            robot.type(javafx.scene.input.KeyCode.SPACE);
        }
    }

    /** Waits until the condition, read on the FX thread, holds; or fails saying what was awaited and what is. */
    public static void await(String what, Supplier<Boolean> condition, Supplier<String> state) {
        try {
            await(what, condition);
        } catch (AssertionError e) {
            String[] now = new String[1];
            WaitForAsyncUtils.asyncFx(() -> now[0] = state.get());
            WaitForAsyncUtils.waitForFxEvents();
            throw new AssertionError(e.getMessage() + "; now: " + now[0], e);
        }
    }

    /** Waits (polling, FX thread free) until the condition holds, or fails saying what was awaited. */
    public static void await(String what, Supplier<Boolean> condition) {
        try {
            // read on the FX thread, so a screen is never seen half built
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> {
                WaitForAsyncUtils.waitForFxEvents();
                return WaitForAsyncUtils.asyncFx(condition::get).get(WAIT_SECONDS, TimeUnit.SECONDS);
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what);
        }
    }

    /** The node with this id in the desktop's window. */
    public static <T extends Node> T find(VouchDesktop desktop, String id) {
        Node node = desktop.stage().getScene().getRoot().lookup("#" + id);
        assertThat(node).as("#" + id + " in the window").isNotNull();
        @SuppressWarnings("unchecked")
        T typed = (T) node;
        return typed;
    }

    /** The messages the window's open conversation shows, oldest first (none while no conversation is open). */
    public static java.util.List<dev.vouch.ui.conversations.MessageRow> shown(VouchDesktop desktop) {
        javafx.scene.control.ListView<dev.vouch.ui.conversations.MessageRow> list = find(desktop, "messages");
        return list.getItems() == null ? java.util.List.of() : java.util.List.copyOf(list.getItems());
    }

    /** A profile created and registered through the service, as an earlier run of the app would leave it. */
    public static void registered(Path profile, String handle, String passphrase, Invite invite) throws Exception {
        try (ProfileStore store = ProfileStore.create(profile, passphrase.toCharArray(), FAST_KDF, Clock.systemUTC())) {
            Messenger.initialize(store, handle, invite, Messenger.Options.defaults());
        }
    }
}
