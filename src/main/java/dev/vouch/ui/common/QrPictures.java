package dev.vouch.ui.common;

import dev.vouch.qr.QrCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The text of a QR code in a picture (a file chosen, dropped or pasted, or an image from the
 * clipboard), for every panel that scans codes: a contact's safety code, a new device's link code.
 * Called in the background; a picture that yields no code is a {@link ScanProblem} in plain words.
 */
public final class QrPictures {
    private QrPictures() {
    }

    /** Reads the picture file and decodes the QR code in it. */
    public static String read(Path file) throws ScanProblem {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new ScanProblem("Vouch could not read " + file.getFileName() + " (" + e.getMessage() + ").");
        }
        if (image == null) {
            throw new ScanProblem(file.getFileName() + " is not a picture Vouch can read. Use a PNG or JPEG"
                    + " photo or screenshot of the code.");
        }
        return decode(image);
    }

    /** Decodes the QR code in a picture already in memory. */
    public static String decode(BufferedImage image) throws ScanProblem {
        return QrCodes.decode(image).orElseThrow(() -> new ScanProblem("No QR code was found in that"
                + " picture. Take it again with the whole code in view, sharp and not too small."));
    }
}
