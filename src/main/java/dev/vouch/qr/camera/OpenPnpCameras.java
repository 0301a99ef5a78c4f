package dev.vouch.qr.camera;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openpnp.capture.CaptureDevice;
import org.openpnp.capture.CaptureFormat;
import org.openpnp.capture.CaptureStream;
import org.openpnp.capture.OpenPnpCapture;

/**
 * The system's webcams through openpnp-capture (V4L2 on Linux, AVFoundation on macOS, Media
 * Foundation on Windows; the native library ships inside its jar and loads through JNA).
 *
 * <p>Each {@link #list()} opens a fresh capture context, so a camera plugged in since the last
 * listing shows up; a context is closed once a newer listing replaced it and no stream of it is
 * open. A native library that cannot load is reported as {@link CameraUnavailableException},
 * never thrown as an error, so that the rest of the app keeps working without cameras.
 */
public final class OpenPnpCameras implements Cameras, AutoCloseable {
    /** Longer than any working camera goes without a frame, including while it starts. */
    static final Duration SILENCE = Duration.ofSeconds(5);
    /** The widest format used: wider frames only make decoding slower. */
    static final int MAX_WIDTH = 1280;
    private static final long POLL_MILLIS = 10;

    private Context current;
    private boolean closed;
    /**
     * Why the library did not load, the first time. A JVM tries to load a native library once, so a
     * later try (from this or another panel) only says "could not initialize class"; this keeps the reason.
     */
    private static volatile CameraUnavailableException unavailable;

    @Override
    public synchronized List<Camera> list() throws CameraUnavailableException {
        CameraUnavailableException known = unavailable;
        if (known != null) {
            throw new CameraUnavailableException(known.getMessage(), known.getCause());
        }
        OpenPnpCapture capture;
        try {
            capture = new OpenPnpCapture();
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError, NoClassDefFoundError after a failed static initializer, JNA's own refusals
            CameraUnavailableException why = new CameraUnavailableException("The camera library could not load on"
                    + " this system: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            if (e instanceof LinkageError) {
                unavailable = why;
            }
            throw why;
        }
        List<CaptureDevice> devices;
        try {
            devices = capture.getDevices();
        } catch (LinkageError | RuntimeException e) {
            capture.close();
            throw new CameraUnavailableException("The system did not list its cameras: " + e.getMessage(), e);
        }
        Context context = new Context(capture);
        retire();
        current = context;
        if (closed) {
            retire(); // listed after close(): nothing will close this context later
        }
        List<Camera> cameras = new ArrayList<>();
        for (CaptureDevice device : devices) {
            cameras.add(new Device(context, device));
        }
        if (cameras.isEmpty()) {
            retire();
        }
        return List.copyOf(cameras);
    }

    /** Closes the capture context once its streams are closed. */
    @Override
    public synchronized void close() {
        closed = true;
        retire();
    }

    private void retire() {
        if (current != null) {
            current.retire();
            current = null;
        }
    }

    /** One capture context and the streams open on it. */
    private static final class Context {
        private final OpenPnpCapture capture;
        private int streams;
        private boolean retired;
        private boolean closed;

        Context(OpenPnpCapture capture) {
            this.capture = capture;
        }

        synchronized void opened() throws CameraException {
            if (closed) {
                throw new CameraException("The camera list is out of date. Close and open the contact panel again.");
            }
            streams++;
        }

        synchronized void streamClosed() {
            streams--;
            closeIfDone();
        }

        synchronized void retire() {
            retired = true;
            closeIfDone();
        }

        private void closeIfDone() {
            if (retired && streams == 0 && !closed) {
                closed = true;
                capture.close();
            }
        }
    }

    private record Device(Context context, CaptureDevice device) implements Camera {
        @Override
        public String name() {
            return device.getName();
        }

        @Override
        public CameraStream open() throws CameraException {
            CaptureFormat format = device.getFormats().stream()
                    .filter(f -> f.getFormatInfo().width <= MAX_WIDTH)
                    .max(Comparator.comparingInt(f -> f.getFormatInfo().width))
                    .orElseThrow(() -> new CameraException(name() + " offers no picture size Vouch can use."));
            context.opened();
            try {
                return new Stream(context, device.openStream(format), name());
            } catch (RuntimeException e) {
                context.streamClosed();
                throw new CameraException(name() + " could not start (" + e.getMessage() + "). Another program"
                        + " may be using it.", e);
            }
        }
    }

    private static final class Stream implements CameraStream {
        private final Context context;
        private final CaptureStream stream;
        private final String name;
        private boolean closed;

        Stream(Context context, CaptureStream stream, String name) {
            this.context = context;
            this.stream = stream;
            this.name = name;
        }

        @Override
        public BufferedImage next() throws CameraException, InterruptedException {
            long deadline = System.nanoTime() + SILENCE.toNanos();
            while (!stream.hasNewFrame()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new CameraException(name + " stopped sending pictures: it was unplugged, or another"
                            + " program took it.");
                }
                Thread.sleep(POLL_MILLIS);
            }
            try {
                return stream.capture();
            } catch (Exception e) {
                throw new CameraException(name + " was disconnected (" + e.getMessage() + ").", e);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                stream.close();
                context.streamClosed();
            }
        }
    }
}
