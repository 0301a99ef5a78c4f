package dev.vouch.cli;

import dev.vouch.qr.QrCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** QR code images on disk for the commands that read or write them (verification codes, invites, link codes). */
final class QrImages {
    private QrImages() {
    }

    /** The text of the QR code in {@code image} (a photo, a screenshot); unreadable input is a usage error. */
    static String read(Path image) {
        BufferedImage picture;
        try {
            picture = ImageIO.read(image.toFile());
        } catch (IOException e) {
            throw new UsageException("cannot read " + image + ": " + e.getMessage());
        }
        if (picture == null) {
            throw new UsageException(image + " is not an image this system can read");
        }
        return QrCodes.decode(picture).orElseThrow(() -> new UsageException("no QR code found in " + image));
    }

    /** Writes {@code text} as a QR code PNG, whole or not at all (through a temporary file). */
    static void writePng(String text, Path png) throws IOException {
        Path temp = png.resolveSibling(png.getFileName() + ".tmp");
        if (!ImageIO.write(QrCodes.encode(text), "png", temp.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        Files.move(temp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
