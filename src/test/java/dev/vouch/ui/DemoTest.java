package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.LocalDemo;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.service.LogAuditor;
import dev.vouch.service.TransparencyAlert;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;

/**
 * The demo as a newcomer meets it: Alice's and Bob's windows side by side, unlocked on their
 * conversation, and each button of the misbehaving-relay panel making a protection fire in Alice's
 * window, with nothing encrypted to what the relay made up; "Behave again" lets what waited go out.
 */
class DemoTest extends DesktopTest {
    private static final LocalDemo DEMOS = new LocalDemo(Clock.systemUTC(), Desktops.FAST_KDF, Desktops.MESSENGER);

    private static String texts(VouchDesktop desktop) {
        return Desktops.shown(desktop).stream().map(m -> m.text() + " [" + m.status() + "]").collect(Collectors.joining(" | "));
    }

    private <T extends Node> T inPanel(DemoWindows windows, String id) {
        Node node = windows.panel().getScene().getRoot().lookup("#" + id);
        assertThat(node).as("#" + id + " in the panel").isNotNull();
        @SuppressWarnings("unchecked")
        T typed = (T) node;
        return typed;
    }

    private Session session(VouchDesktop desktop) {
        AtomicReference<Session> session = new AtomicReference<>();
        robot.interact(() -> session.set(desktop.viewModel().sessionProperty().get()));
        assertThat(session.get()).isNotNull();
        return session.get();
    }

    private void send(VouchDesktop from, String text) {
        Desktops.type(robot, Desktops.find(from, "composer"), text);
        robot.type(KeyCode.ENTER);
    }

    private static void awaitStatus(VouchDesktop desktop, String text, MessageStatus status) {
        Desktops.await(text + " " + status, () -> Desktops.shown(desktop).stream().anyMatch(m -> m.text().equals(text)
                && m.status() == status), () -> texts(desktop));
    }

    @Test
    void theDemoOpensTalkingAndEachMisbehaviorIsCaughtInAlicesWindowWithNothingEncryptedToIt() throws Exception {
        Demo demo = DEMOS.prepare();
        Path folder = demo.folder();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<DemoWindows> opened = new AtomicReference<>();
        robot.interact(() -> opened.set(DemoWindows.open(demo, Desktops.config(folder, LocalRelays.NONE),
                () -> closed.set(true))));
        DemoWindows windows = opened.get();
        VouchDesktop alice = windows.alice();
        VouchDesktop bob = windows.bob();
        Desktops.awaitScreen(alice, Screen.MAIN);
        Desktops.awaitScreen(bob, Screen.MAIN);

        // already talking, both on their conversation, side by side, and the folder is named
        for (VouchDesktop desktop : List.of(alice, bob)) {
            Desktops.await("the conversation", () -> Desktops.shown(desktop).stream().map(MessageRow::text).toList()
                    .equals(LocalDemo.CONVERSATION), () -> texts(desktop));
            assertThat(desktop.stage().getTitle()).contains(folder.toString());
        }
        assertThat(Desktops.<Label>find(alice, "peer").getText()).isEqualTo("bob");
        assertThat(Desktops.<Label>find(bob, "peer").getText()).isEqualTo("alice");
        assertThat(alice.stage().getX() + alice.stage().getWidth()).isLessThanOrEqualTo(bob.stage().getX());
        assertThat(Desktops.<Label>find(alice, "connection").getText()).isEqualTo("Connected");
        assertThat(this.<Label>inPanel(windows, "demoFolder").getText()).contains(folder.toString(), demo.passphrase());

        Session aliceSession = session(alice);
        Contact bobAtAlice = aliceSession.messenger().keys().find(Demo.BOB).orElseThrow();
        DeviceIdentityKey bobsDevice = session(bob).messenger().account().deviceIdentity().publicKey();
        assertThat(aliceSession.messenger().keys().devices(bobAtAlice)).isEqualTo(Map.of(1, bobsDevice));
        Label notice = Desktops.find(alice, "notice");
        Label status = inPanel(windows, "demoStatus");
        Label problem = inPanel(windows, "demoProblem");

        // 1. the relay substitutes Bob's key: an alert, and what Alice writes waits, encrypted to nothing
        Desktops.press(robot, inPanel(windows, "substituteKey"));
        Desktops.await("the transparency alert", () -> notice.getText().startsWith("Transparency alert")
                && notice.getText().contains("substitute a key"), notice::getText);
        Desktops.await("the panel's sentence", () -> status.getText().startsWith("The relay now hands Alice a key"),
                status::getText);
        assertThat(problem.getText()).isEmpty();
        send(alice, "is this really you?");
        Desktops.await("the message said to wait", () -> Desktops.<Label>find(alice, "conversationProblem").getText()
                .startsWith("The relay has not taken it yet"));
        awaitStatus(alice, "is this really you?", MessageStatus.QUEUED);
        assertThat(aliceSession.store().outbox().size()).as("nothing encrypted to the relay's key").isZero();
        assertThat(aliceSession.messenger().keys().devices(bobAtAlice)).isEqualTo(Map.of(1, bobsDevice));
        assertThat(aliceSession.messenger().transparency().alerts()).extracting(TransparencyAlert::kind)
                .containsExactly(LogAuditor.Kind.UNLOGGED_KEY);

        // behaving again, the message goes out, to Bob's real device
        Desktops.press(robot, inPanel(windows, "behave"));
        Desktops.await("honest again", () -> status.getText().startsWith("The relay answers honestly again"),
                status::getText);
        awaitStatus(bob, "is this really you?", MessageStatus.READ);
        assertThat(problem.getText()).isEmpty();

        // 2. the relay injects a device into Bob's list: refused, recorded, nothing encrypted to it
        Desktops.press(robot, inPanel(windows, "injectDevice"));
        Desktops.await("the refusal", () -> notice.getText().startsWith("Refused the device list of bob"),
                () -> notice.getText() + " / " + status.getText() + " / " + problem.getText());
        Desktops.await("the panel's sentence", () -> status.getText().startsWith("The relay now adds a device"),
                status::getText);
        assertThat(problem.getText()).isEmpty();
        assertThat(aliceSession.store().contacts().events(bobAtAlice.id())).last().extracting(KeyEvent::type)
                .isEqualTo(KeyEvent.Type.DEVICE_LIST_REFUSED);
        send(alice, "and now?");
        awaitStatus(alice, "and now?", MessageStatus.QUEUED);
        assertThat(aliceSession.store().outbox().size()).as("nothing encrypted to the injected device").isZero();
        assertThat(aliceSession.messenger().keys().devices(bobAtAlice)).isEqualTo(Map.of(1, bobsDevice));

        Desktops.press(robot, inPanel(windows, "behave"));
        awaitStatus(bob, "and now?", MessageStatus.READ);
        assertThat(aliceSession.messenger().keys().devices(bobAtAlice)).as("still only bob's own device")
                .isEqualTo(Map.of(1, bobsDevice));

        // 3. the relay splits its log: Bob's message carries the fork to Alice, whose window catches it
        Desktops.press(robot, inPanel(windows, "splitView"));
        Desktops.await("the split-view alert", () -> notice.getText().startsWith("Transparency alert")
                && notice.getText().contains("showing different people different keys"), notice::getText);
        assertThat(status.getText()).startsWith("The relay now shows Bob another log");
        assertThat(problem.getText()).isEmpty();
        assertThat(aliceSession.messenger().transparency().alerts()).extracting(TransparencyAlert::kind)
                .contains(LogAuditor.Kind.SPLIT_VIEW);
        awaitStatus(alice, "Alice, does the relay show you the same log as me?", MessageStatus.READ);

        Desktops.press(robot, inPanel(windows, "behave"));
        Desktops.await("honest again", () -> status.getText().startsWith("The relay answers honestly again"),
                status::getText);

        // a locked window: the panel says so and leaves the relay as it is
        robot.interact(() -> alice.viewModel().lock());
        Desktops.awaitScreen(alice, Screen.UNLOCK);
        Desktops.press(robot, inPanel(windows, "substituteKey"));
        Desktops.await("the panel's problem", () -> problem.getText().startsWith("Unlock both windows first"),
                problem::getText);
        assertThat(status.getText()).startsWith("The relay answers honestly again");

        // closing the panel closes the demo and deletes its folder
        robot.interact(() -> windows.panel().hide());
        Desktops.await("the demo closed", closed::get);
        assertThat(alice.stage().isShowing() || bob.stage().isShowing()).isFalse();
        assertThat(Files.exists(folder)).isFalse();
    }

    @Test
    void seeADemoOnTheFirstRunScreenOpensAliceAndBobAndLeavesTheScreenAsItWas() throws Exception {
        VouchDesktop first = Desktops.open(robot, Desktops.config(dir.resolve("profile"), LocalRelays.NONE)
                .withDemos(DEMOS));
        Desktops.awaitScreen(first, Screen.ONBOARDING);
        Desktops.press(robot, Desktops.<Button>find(first, "seeDemo"));
        AtomicReference<Stage> panel = new AtomicReference<>();
        Desktops.await("the demo's windows", () -> {
            List<String> titles = Window.getWindows().stream().filter(w -> w instanceof Stage)
                    .map(w -> ((Stage) w).getTitle()).toList();
            Window.getWindows().stream().filter(w -> w instanceof Stage s && "Vouch demo: the misbehaving relay"
                    .equals(s.getTitle())).findFirst().ifPresent(w -> panel.set((Stage) w));
            return panel.get() != null && titles.stream().anyMatch(t -> t.startsWith("Vouch demo: Alice"))
                    && titles.stream().anyMatch(t -> t.startsWith("Vouch demo: Bob"));
        }, () -> Desktops.problems(first));
        Label where = (Label) panel.get().getScene().getRoot().lookup("#demoFolder");
        Path folder = Path.of(where.getText().replaceFirst("^Throwaway profiles and relay in ", "")
                .replaceFirst(", deleted when.*$", ""));
        assertThat(folder.resolve(Demo.ALICE)).isDirectory();
        assertThat(first.viewModel().screenProperty().get()).isEqualTo(Screen.ONBOARDING);
        assertThat(Files.exists(dir.resolve("profile").resolve(dev.vouch.store.ProfileStore.DATABASE_FILE))).as("no profile made").isFalse();

        robot.interact(() -> panel.get().hide());
        Desktops.await("the demo's folder deleted", () -> !Files.exists(folder));
        assertThat(first.stage().isShowing()).isTrue();
    }
}
