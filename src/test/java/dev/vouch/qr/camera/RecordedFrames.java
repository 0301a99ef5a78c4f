package dev.vouch.qr.camera;

import dev.vouch.qr.QrCodes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/** Frames as a 640x480 webcam would record them, for {@link ImageSequenceCamera} in tests. */
public final class RecordedFrames {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    private RecordedFrames() {
    }

    /** A picture of a room: grey noise, no code (decoding it costs ZXing its full search). */
    public static BufferedImage noise(Random random) {
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int v = 60 + random.nextInt(140);
                frame.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return frame;
    }

    /** A picture of a code held up in a grey room, off centre. */
    public static BufferedImage holding(String text) {
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setColor(new Color(120, 120, 120));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.drawImage(QrCodes.encode(text, 4), 150, 40, null);
        g.dispose();
        return frame;
    }
}
