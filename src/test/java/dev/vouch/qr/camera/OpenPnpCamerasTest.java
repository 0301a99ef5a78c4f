package dev.vouch.qr.camera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.qr.QrCodes;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real capture library: on this machine it either loads and lists the cameras attached (none
 * on a build server) or explains why it cannot load, and it never throws anything else; listing
 * twice works (each listing opens a fresh context and retires the previous one). In a JVM where JNA
 * may not unpack its native part (as with a temp folder mounted noexec), the library cannot load:
 * that is reported as an explanation, twice in a row, and reading a picture of a code still works.
 */
class OpenPnpCamerasTest {
    static final String PREFIX = "The camera library could not load on this system: ";

    @TempDir
    Path dir;

    @Test
    void listsTheCamerasOrSaysWhyTheLibraryCannotLoad() {
        try (OpenPnpCameras cameras = new OpenPnpCameras()) {
            for (int i = 0; i < 2; i++) {
                try {
                    List<Camera> found = cameras.list();
                    assertThat(found).allSatisfy(c -> assertThat(c.name()).isNotBlank());
                } catch (CameraUnavailableException e) {
                    assertThat(e.getMessage()).startsWith(PREFIX).hasSizeGreaterThan(PREFIX.length());
                }
            }
        }
    }

    @Test
    void aLibraryThatCannotLoadIsExplainedAndPicturesStillScan() throws Exception {
        try (ChildJvm child = ChildJvm.start(Probe.class, List.of(), List.of("-Djna.nounpack=true", "-Djna.nosys=true"),
                Map.of(), dir.resolve("stderr.txt"))) {
            for (int i = 0; i < 2; i++) {
                assertThat(child.next(Duration.ofSeconds(60))).startsWith("unavailable: " + PREFIX)
                        .contains("JNA native support");
            }
            assertThat(child.next(Duration.ofSeconds(60))).isEqualTo("decoded: still readable");
            assertThat(child.next(Duration.ofSeconds(60))).isEqualTo(ChildJvm.EOF);
        }
    }

    /** Lists the cameras twice, each time as a new panel does, then reads a rendered code; one line per step. */
    public static final class Probe {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) { // as two contact panels opened one after the other
                try (OpenPnpCameras cameras = new OpenPnpCameras()) {
                    System.out.println("cameras: " + cameras.list().size());
                } catch (CameraUnavailableException e) {
                    System.out.println("unavailable: " + e.getMessage());
                }
            }
            System.out.println("decoded: " + QrCodes.decode(QrCodes.encode("still readable")).orElse("nothing"));
        }
    }
}
