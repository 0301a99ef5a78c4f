package dev.vouch.qr.camera;

import java.awt.image.BufferedImage;

/** A started camera: frames one after another until it is closed or fails. Used by one thread at a time. */
public interface CameraStream extends AutoCloseable {
    /**
     * Waits for the next frame.
     *
     * @throws CameraException      when the camera stopped: unplugged, taken by another program, or silent
     *                              for longer than a working camera ever is
     * @throws InterruptedException when the waiting thread is interrupted (scanning was stopped)
     */
    BufferedImage next() throws CameraException, InterruptedException;

    /** Stops the camera; never fails, and may be called more than once. */
    @Override
    void close();
}
