package dev.vouch.qr.camera;

import java.util.List;

/** The cameras of this computer. */
public interface Cameras {
    /**
     * The cameras attached now; empty when there are none.
     *
     * @throws CameraUnavailableException when cameras cannot be used on this system at all (the
     *                                    capture library did not load)
     */
    List<Camera> list() throws CameraUnavailableException;

    /** No camera support: for a build or a test that must not touch the system's cameras. */
    Cameras NONE = () -> List.of();
}
