package dev.vouch.qr.camera;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A camera for recorded input: plays back a sequence of frames (a recording, or rendered
 * pictures) at a fixed interval, then keeps showing the last one, as a webcam held still on a
 * code does. Optionally it fails after a number of frames, as an unplugged webcam does. It
 * serves the same scanning as a webcam: tests drive {@link QrScanner} with it, since the build
 * machine has no camera.
 */
public final class ImageSequenceCamera implements Camera {
    private final String name;
    private final List<BufferedImage> frames;
    private final Duration interval;
    private final long failAfter;

    /**
     * @param interval  time between two frames; zero serves them as fast as they are asked for
     * @param failAfter frames served before the camera "disconnects"; {@link Long#MAX_VALUE} never
     */
    public ImageSequenceCamera(String name, List<BufferedImage> frames, Duration interval, long failAfter) {
        this.name = Objects.requireNonNull(name, "name");
        this.frames = List.copyOf(frames);
        if (this.frames.isEmpty()) {
            throw new IllegalArgumentException("a recording needs at least one frame");
        }
        if (interval.isNegative() || failAfter < 0) {
            throw new IllegalArgumentException("negative interval or frame count");
        }
        this.interval = interval;
        this.failAfter = failAfter;
    }

    /** Plays {@code frames} as fast as they are asked for and never fails. */
    public static ImageSequenceCamera of(String name, List<BufferedImage> frames) {
        return new ImageSequenceCamera(name, frames, Duration.ZERO, Long.MAX_VALUE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CameraStream open() {
        return new CameraStream() {
            private long served;
            private volatile boolean closed;

            @Override
            public BufferedImage next() throws CameraException, InterruptedException {
                if (closed) {
                    throw new CameraException(name + " is closed.");
                }
                if (served >= failAfter) {
                    throw new CameraException(name + " stopped sending pictures: it was unplugged, or another"
                            + " program took it.");
                }
                if (!interval.isZero()) {
                    Thread.sleep(interval.toMillis(), interval.toNanosPart() % 1_000_000);
                } else if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                return frames.get((int) Math.min(served++, frames.size() - 1));
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}
