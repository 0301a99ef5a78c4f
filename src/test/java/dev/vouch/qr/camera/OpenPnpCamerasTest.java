package dev.vouch.qr.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real capture library on this machine: it either loads and lists the cameras attached (none
 * on a build server) or explains why it cannot load; it never throws anything else, and listing
 * twice works (each listing opens a fresh context and retires the previous one).
 */
class OpenPnpCamerasTest {
    @Test
    void listsTheCamerasOrSaysWhyTheLibraryCannotLoad() {
        try (OpenPnpCameras cameras = new OpenPnpCameras()) {
            for (int i = 0; i < 2; i++) {
                try {
                    List<Camera> found = cameras.list();
                    assertThat(found).allSatisfy(c -> assertThat(c.name()).isNotNull());
                } catch (CameraUnavailableException e) {
                    assertThat(e.getMessage()).startsWith("The camera library could not load on this system: ")
                            .hasSizeGreaterThan("The camera library could not load on this system: ".length());
                }
            }
        }
    }
}
