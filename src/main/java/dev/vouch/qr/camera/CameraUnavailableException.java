package dev.vouch.qr.camera;

/** Cameras cannot be used on this system: the native capture library did not load. */
public final class CameraUnavailableException extends Exception {
    public CameraUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
