package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.qr.QrPayload;
import dev.vouch.qr.camera.Camera;
import dev.vouch.qr.camera.ImageSequenceCamera;
import dev.vouch.qr.camera.RecordedFrames;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.Member;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.contact.ContactView;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Scanning with a camera in the contact panel, on recorded frames ({@link ImageSequenceCamera}: the
 * build machine has no webcam; the real library's "no camera" message is checked by VerifyTest).
 * With two cameras, the first (the default) is unplugged mid-scan: the preview stops with a message
 * and nothing else changes; then the other camera, chosen in the list, films bob's code held up
 * among other frames, which marks bob verified. A camera still scanning when the panel leaves the
 * window stops.
 */
class CameraScanTest extends DesktopTest {
    @Test
    void aCameraThatGoesAwayStopsWithAMessageAndTheNextTakeOfBobsCodeVerifiesHim() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Desktops.registered(dir.resolve("alice"), "alice", VerifyTest.ALICE, relay.invite());
            QrPayload bobsCode;
            try (Member bob = Member.register(dir, "bob", relay, Clock.systemUTC())) {
                bob.online().addContact("alice");
                bobsCode = bob.messenger().keys().qrPayload(bob.messenger().keys().require("alice"));
            }
            Random random = new Random(5);
            List<BufferedImage> room = List.of(RecordedFrames.noise(random), RecordedFrames.noise(random));
            // two cameras: the first (the default) is unplugged after 40 frames; the other films bob's screen
            Camera desk = new ImageSequenceCamera("Desk camera", room, Duration.ofMillis(20), 40);
            Camera document = new ImageSequenceCamera("Document camera", List.of(room.get(0), room.get(1),
                    RecordedFrames.holding(bobsCode.encode())), Duration.ofMillis(20), Long.MAX_VALUE);
            Camera still = new ImageSequenceCamera("Room camera", room, Duration.ofMillis(20), Long.MAX_VALUE);

            try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
                store.unlock(VerifyTest.ALICE.toCharArray());
                try (Session session = Session.open(store, Desktops.MESSENGER)) {
                    session.messenger().connect();
                    session.messenger().addContact("bob");
                    AtomicReference<Stage> stage = new AtomicReference<>();
                    robot.interact(() -> {
                        Stage s = new Stage();
                        s.setScene(new Scene(new ContactView(session, Desktops.config(dir.resolve("alice"),
                                LocalRelays.NONE), () -> List.of(desk, document, still), "bob"), 420, 1000));
                        s.show();
                        stage.set(s);
                    });
                    Label note = find(stage, "cameraNote");
                    Label outcome = find(stage, "outcome");
                    Label verification = find(stage, "verification");
                    Button start = find(stage, "scanCamera");
                    ImageView preview = find(stage, "cameraPreview");
                    AtomicBoolean previewed = new AtomicBoolean();
                    robot.interact(() -> preview.imageProperty().addListener((o, was, now) -> previewed.compareAndSet(
                            false, now != null && preview.isVisible())));
                    Desktops.await("the camera found", () -> note.getText().equals("Camera: Desk camera."));
                    Desktops.await("bob's number", () -> verification.getText().startsWith("Not verified"));

                    Desktops.press(robot, start);
                    Desktops.await("the camera unplugged", () -> note.getText().contains("Desk camera stopped sending"
                            + " pictures"), note::getText);
                    assertThat(previewed).as("frames were shown while it worked").isTrue();
                    assertThat(note.getText()).contains("Nothing was changed");
                    assertThat(preview.isVisible()).isFalse();
                    assertThat(preview.getImage()).isNull();
                    assertThat(start.getText()).isEqualTo("Camera");
                    assertThat(outcome.getText()).as("the scan outcome is untouched").isEmpty();
                    assertThat(verification.getText()).startsWith("Not verified");

                    ComboBox<String> choice = find(stage, "cameraChoice");
                    assertThat(choice.isVisible()).isTrue();
                    assertThat(choice.getItems()).containsExactly("Desk camera", "Document camera", "Room camera");
                    robot.interact(() -> choice.getSelectionModel().select(1));
                    Desktops.await("the other camera chosen", () -> note.getText().equals("Camera: Document camera."));
                    Desktops.press(robot, start);
                    Desktops.await("bob verified by camera", () -> outcome.getText().startsWith("Verified. The safety"
                            + " numbers match"), outcome::getText);
                    assertThat(outcome.getStyleClass()).contains("success");
                    assertThat(note.getText()).isEqualTo("Code read with Document camera.");
                    Desktops.await("bob shown verified", () -> verification.getText().startsWith("Verified"));
                    ListView<String> timeline = find(stage, "keyHistory");
                    Desktops.await("the scan in the timeline", () -> timeline.getItems().stream()
                            .anyMatch(line -> line.contains("Verified: QR code scanned")));

                    // a camera still scanning when the panel leaves the window is stopped
                    robot.interact(() -> choice.getSelectionModel().select(2));
                    Desktops.press(robot, start);
                    Desktops.await("the room camera's preview", () -> preview.isVisible() && preview.getImage() != null);
                    assertThat(cameraThreads()).isNotEmpty();
                    robot.interact(() -> stage.get().getScene().setRoot(new javafx.scene.layout.Pane()));
                    Desktops.await("the camera stopped with the panel", () -> cameraThreads().isEmpty());
                    robot.interact(() -> stage.get().hide());
                }
            }
        }
    }

    private static List<Thread> cameraThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vouch-camera-")
                && t.isAlive()).toList();
    }

    private static <T extends javafx.scene.Node> T find(AtomicReference<Stage> stage, String id) {
        javafx.scene.Node node = stage.get().getScene().getRoot().lookup("#" + id);
        assertThat(node).as("#" + id).isNotNull();
        @SuppressWarnings("unchecked")
        T typed = (T) node;
        return typed;
    }
}
