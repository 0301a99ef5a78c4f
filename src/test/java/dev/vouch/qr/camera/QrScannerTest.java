package dev.vouch.qr.camera;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The camera decoder loop on recorded input ({@link ImageSequenceCamera}; the build machine has no
 * webcam): it finds the code, drops frames that arrive while one is being decoded, reports a camera
 * that stops mid-scan, and stops cleanly.
 */
class QrScannerTest {
    static final String CODE = "VOUCH-TEST:the code held up to the camera";
    /** What the scanner reported. */
    private static final class Reports implements QrScanner.Listener {
        final CompletableFuture<String> found = new CompletableFuture<>();
        final CompletableFuture<CameraException> failed = new CompletableFuture<>();
        final AtomicLong frames = new AtomicLong();

        @Override
        public void frame(BufferedImage frame) {
            frames.incrementAndGet();
        }

        @Override
        public void found(String text) {
            found.complete(text);
        }

        @Override
        public void failed(CameraException problem) {
            failed.complete(problem);
        }
    }

    @Test
    void findsTheCodeAndDropsTheFramesThatArriveWhileOneIsDecoded() throws Exception {
        Random random = new Random(7);
        List<BufferedImage> recording = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            recording.add(RecordedFrames.noise(random));
        }
        recording.add(RecordedFrames.holding(CODE)); // then held still in view
        Reports reports = new Reports();
        QrScanner scanner = QrScanner.start(ImageSequenceCamera.of("recorded", recording).open(), reports);
        try {
            assertThat(reports.found.get(30, TimeUnit.SECONDS)).isEqualTo(CODE);
        } finally {
            scanner.close();
        }
        QrScanner.Counts counts = scanner.counts();
        assertThat(scanner.isRunning()).isFalse();
        assertThat(reports.failed).isNotDone();
        // frames served without pause arrive faster than ZXing decodes: most are dropped, none pile up
        assertThat(counts.dropped()).as("frames dropped").isPositive();
        assertThat(counts.decoded()).as("frames decoded").isPositive().isLessThan(counts.captured());
        assertThat(counts.captured()).as("each captured frame was decoded, dropped, or waiting when the code was"
                + " found").isBetween(counts.decoded() + counts.dropped(), counts.decoded() + counts.dropped() + 1);
        assertThat(reports.frames.get()).as("every captured frame was offered to the preview")
                .isEqualTo(counts.captured());
    }

    @Test
    void aCameraThatStopsMidScanIsReportedOnceAndEndsTheScan() throws Exception {
        Random random = new Random(11);
        Reports reports = new Reports();
        QrScanner scanner = QrScanner.start(new ImageSequenceCamera("USB camera", List.of(RecordedFrames.noise(random),
                RecordedFrames.noise(random)), Duration.ofMillis(5), 12).open(), reports);
        CameraException problem = reports.failed.get(30, TimeUnit.SECONDS);
        scanner.close();
        assertThat(problem.getMessage()).contains("USB camera", "stopped sending pictures");
        assertThat(reports.found).isNotDone();
        assertThat(scanner.isRunning()).isFalse();
        assertThat(scanner.counts().captured()).isEqualTo(12);
    }

    @Test
    void closingStopsBothThreadsAndTheCamera() throws Exception {
        Reports reports = new Reports();
        QrScanner scanner = QrScanner.start(new ImageSequenceCamera("recorded", List.of(RecordedFrames.noise(new Random(3))),
                Duration.ofMillis(2), Long.MAX_VALUE).open(), reports);
        while (scanner.counts().decoded() == 0) {
            Thread.sleep(5);
        }
        scanner.close();
        long captured = scanner.counts().captured();
        Thread.sleep(100);
        assertThat(scanner.isRunning()).isFalse();
        assertThat(scanner.counts().captured()).as("no frame taken after close").isEqualTo(captured);
        assertThat(reports.found).isNotDone();
        assertThat(reports.failed).as("stopping is not a camera failure").isNotDone();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("vouch-camera-"));
    }
}
