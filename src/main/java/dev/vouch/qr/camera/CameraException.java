package dev.vouch.qr.camera;

/** A camera could not start or stopped sending frames; the message says so in words for the person at the screen. */
public class CameraException extends Exception {
    public CameraException(String message) {
        super(message);
    }

    public CameraException(String message, Throwable cause) {
        super(message, cause);
    }
}
