package dev.vouch.bench;

import dev.vouch.qr.QrCodes;
import dev.vouch.qr.camera.RecordedFrames;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the camera's decoder thread ({@code QrScanner}) spends on one 640x480 webcam frame, single
 * threaded: {@link QrCodes#decode} of a frame with no code (grey noise: ZXing's whole search with
 * both binarizers and the pure-barcode try, the usual frame while someone lifts their phone), and
 * of a frame with a Vouch-sized code held up in it. Frames that arrive while one is being decoded
 * are dropped, so the decode rate is how many of a camera's frames per second are looked at.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class QrFrameBench {
    private BufferedImage room;
    private BufferedImage code;

    @Setup
    public void setUp() {
        room = RecordedFrames.noise(new Random(1));
        // a code as long as a real one: "VOUCH1:" and the Base45 of a handle and a 2-party fingerprint
        code = RecordedFrames.holding("VOUCH1:" + "A".repeat(180));
    }

    @Benchmark
    public Optional<String> frameWithoutCode() {
        return QrCodes.decode(room);
    }

    @Benchmark
    public Optional<String> frameWithCode() {
        Optional<String> text = QrCodes.decode(code);
        if (text.isEmpty()) {
            throw new IllegalStateException("the code in the frame was not read");
        }
        return text;
    }
}
