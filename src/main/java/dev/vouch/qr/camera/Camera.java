package dev.vouch.qr.camera;

/** One camera that can be opened for a stream of frames: a webcam, or a recording played back. */
public interface Camera {
    /** The name the system gives it, for a person to recognize ("Integrated Webcam"). */
    String name();

    /**
     * Starts the camera.
     *
     * @throws CameraException when it cannot start (unplugged since it was listed, busy in another program)
     */
    CameraStream open() throws CameraException;
}
