package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.VouchDesktop;
import java.nio.file.Path;
import java.time.Instant;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;

/**
 * The archive window from the main window: export this profile with a passphrase typed twice, see
 * the progress bar fill and the result; import the same file back, all of it already here; a wrong
 * passphrase explained; Escape closes the window.
 */
class ArchiveTest extends DesktopTest {
    static final String ALICE = "copper lantern orchard ninety 2";
    static final String ARCHIVE = "saffron kettle meadow ninety 7";

    private <T extends Node> T node(String id) {
        return robot.lookup("#" + id).query();
    }

    @Test
    void exportsAndImportsWithProgressFromTheMainWindow() throws Exception {
        LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
        try {
            Desktops.registered(dir.resolve("alice"), "alice", ALICE, relay.invite());
            VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
            Desktops.unlock(robot, alice, ALICE);
            assertThat(alice.stage().getIcons()).as("the window carries the Vouch mark").hasSize(6)
                    .allSatisfy(icon -> assertThat(icon.isError()).isFalse());

            Desktops.press(robot, Desktops.find(alice, "archiveButton"));
            Desktops.await("the archive window", () -> robot.lookup("#archiveExport").tryQuery().isPresent());
            Path file = dir.resolve("alice.vouch");
            Desktops.type(robot, node("archiveFile"), file.toString());
            Desktops.type(robot, node("archivePassphrase"), ARCHIVE);
            Desktops.type(robot, node("archiveRepeat"), ARCHIVE);
            Desktops.press(robot, node("archiveExport"));
            Label status = node("archiveStatus");
            Desktops.await("the export's result", () -> status.getText().startsWith("Exported"));
            assertThat(status.getText()).contains("account's keys");
            assertThat(((ProgressBar) node("archiveProgress")).getProgress()).isEqualTo(1.0);
            assertThat(file).exists();

            Desktops.type(robot, node("archivePassphrase"), "wrong wrong wrong wrong");
            Desktops.press(robot, node("archiveImport"));
            Label problem = node("archiveProblem");
            Desktops.await("the refusal", () -> problem.getText().contains("does not open this archive"));

            Desktops.type(robot, node("archivePassphrase"), ARCHIVE);
            Desktops.press(robot, node("archiveImport"));
            Desktops.await("the import's result", () -> status.getText().startsWith("Imported 0 messages"));
            assertThat(problem.getText()).isEmpty();

            Window archiveWindow = ((Button) node("archiveCancel")).getScene().getWindow();
            Desktops.press(robot, node("archiveCancel"));
            Desktops.await("the archive window closed", () -> !archiveWindow.isShowing());
        } finally {
            relay.close();
        }
    }
}
