package dev.vouch.qr.camera;

import dev.vouch.qr.QrCodes;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads QR codes from a live camera. Two threads: one takes every frame from the camera and shows
 * it (the preview), the other decodes with {@link QrCodes}. They meet in a single slot holding the
 * newest frame not yet decoded: a frame that arrives while the slot is full replaces the one
 * there, which is dropped. So decoding always works on the newest picture, never falls behind the
 * camera, and memory stays at one waiting frame, however slow decoding is.
 *
 * <p>Scanning ends at the first code found ({@link Listener#found}), when the camera fails
 * ({@link Listener#failed}), or on {@link #close()}; the camera is closed in every case.
 */
public final class QrScanner implements AutoCloseable {
    /** What the scanner reports; called on its own threads, never on the caller's. */
    public interface Listener {
        /** Every frame the camera delivered, for the preview (capture thread). */
        void frame(BufferedImage frame);

        /** The text of the first QR code read (decoder thread); scanning has stopped. */
        void found(String text);

        /** The camera stopped mid-scan (capture thread); scanning has stopped. */
        void failed(CameraException problem);
    }

    /** Frames taken from the camera, decoded, and dropped because a newer one replaced them before decoding. */
    public record Counts(long captured, long decoded, long dropped) {
    }

    private final CameraStream stream;
    private final Listener listener;
    private final Thread capture;
    private final Thread decoder;
    private final Object lock = new Object();
    private BufferedImage waiting;
    private boolean stopped;
    private long captured;
    private long decoded;
    private long dropped;

    private QrScanner(CameraStream stream, Listener listener) {
        this.stream = stream;
        this.listener = listener;
        this.capture = new Thread(this::captureLoop, "vouch-camera-capture");
        this.decoder = new Thread(this::decodeLoop, "vouch-camera-decoder");
        capture.setDaemon(true);
        decoder.setDaemon(true);
    }

    /** Starts scanning {@code stream}, which the scanner now owns and closes when it stops. */
    public static QrScanner start(CameraStream stream, Listener listener) {
        QrScanner scanner = new QrScanner(Objects.requireNonNull(stream, "stream"),
                Objects.requireNonNull(listener, "listener"));
        scanner.capture.start();
        scanner.decoder.start();
        return scanner;
    }

    public Counts counts() {
        synchronized (lock) {
            return new Counts(captured, decoded, dropped);
        }
    }

    public boolean isRunning() {
        synchronized (lock) {
            return !stopped;
        }
    }

    /** Stops scanning and waits (up to a few seconds) until the camera is closed. */
    @Override
    public void close() {
        stop();
        try {
            for (Thread t : new Thread[] {capture, decoder}) {
                if (t != Thread.currentThread()) {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True for the call that stopped scanning, false when it had stopped already. */
    private boolean stop() {
        synchronized (lock) {
            if (stopped) {
                return false;
            }
            stopped = true;
            waiting = null;
            lock.notifyAll();
        }
        if (capture != Thread.currentThread()) {
            capture.interrupt();
        }
        return true;
    }

    private void captureLoop() {
        try {
            while (isRunning()) {
                BufferedImage frame = stream.next();
                synchronized (lock) {
                    if (stopped) {
                        break;
                    }
                    captured++;
                    if (waiting != null) {
                        dropped++;
                    }
                    waiting = frame;
                    lock.notifyAll();
                }
                listener.frame(frame);
            }
        } catch (CameraException e) {
            if (stop()) {
                listener.failed(e);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            // a driver or preview fault: the same for the person at the screen as a camera that went away
            if (stop()) {
                listener.failed(new CameraException("The camera failed (" + e + ").", e));
            }
        } finally {
            stream.close();
        }
    }

    private void decodeLoop() {
        try {
            while (true) {
                BufferedImage frame;
                synchronized (lock) {
                    while (waiting == null && !stopped) {
                        lock.wait();
                    }
                    if (stopped) {
                        return;
                    }
                    frame = waiting;
                    waiting = null;
                }
                Optional<String> text;
                try {
                    text = QrCodes.decode(frame);
                } catch (RuntimeException e) {
                    text = Optional.empty(); // a frame ZXing cannot take (odd size or format): the next one may do
                }
                synchronized (lock) {
                    decoded++;
                }
                if (text.isPresent() && stop()) {
                    listener.found(text.get());
                    return;
                }
            }
        } catch (InterruptedException e) {
            stop();
        }
    }
}
