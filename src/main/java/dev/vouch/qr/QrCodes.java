package dev.vouch.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * QR codes on plain images through ZXing: rendering for display, reading from a webcam frame,
 * an image file or a screenshot. No UI types; the UI converts images at its edge.
 */
public final class QrCodes {
    /** Pixels per module when the caller does not choose; large enough for a webcam across a desk. */
    public static final int DEFAULT_MODULE_PIXELS = 8;
    /** The quiet zone the QR standard asks for, in modules; readers find codes less reliably without it. */
    public static final int QUIET_ZONE_MODULES = 4;

    private static final int BLACK = 0xff000000;
    private static final int WHITE = 0xffffffff;

    private QrCodes() {
    }

    /** Renders {@code text} with {@value #DEFAULT_MODULE_PIXELS} pixels per module. */
    public static BufferedImage encode(String text) {
        return encode(text, DEFAULT_MODULE_PIXELS);
    }

    /**
     * Renders {@code text} as black modules on white with a 4-module quiet zone. Error correction
     * M (15%) keeps Vouch payloads one or two QR versions smaller than Q, which matters more for a
     * webcam reading a screen (blur) than damage tolerance does (screens are not scratched).
     *
     * @throws IllegalArgumentException when the text does not fit in any QR code
     */
    public static BufferedImage encode(String text, int modulePixels) {
        Objects.requireNonNull(text, "text");
        if (modulePixels < 1) {
            throw new IllegalArgumentException("modulePixels must be positive: " + modulePixels);
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
        hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name()); // only used for non-alphanumeric text
        BitMatrix modules;
        try {
            // Size 0 asks ZXing for one pixel per module; we scale by a whole factor ourselves so modules stay sharp.
            modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("the text does not fit in a QR code (" + text.length() + " chars)", e);
        }
        return render(modules, modulePixels);
    }

    /**
     * Finds and reads one QR code anywhere in the image, in any of the four orientations, dark on
     * light or inverted (dark mode). Empty when no readable code is there, which is the normal
     * result for most webcam frames.
     */
    public static Optional<String> decode(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        LuminanceSource luminance = new BufferedImageLuminanceSource(image);
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
        // Hybrid handles uneven light (photos, webcams); the global histogram rescues some low-contrast images.
        for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(luminance)),
                new BinaryBitmap(new GlobalHistogramBinarizer(luminance)))) {
            try {
                return Optional.of(new MultiFormatReader().decode(bitmap, hints).getText());
            } catch (NotFoundException e) {
                // ZXing reports every failure (no code, damaged code) as not found; try the next binarizer.
            }
        }
        // ZXing's finder misses about one in fifty clean, computer-rendered codes (data modules that
        // look like a finder pattern); read an upright image that holds nothing but the code directly.
        Map<DecodeHintType, Object> pure = new EnumMap<>(DecodeHintType.class);
        pure.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        pure.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
        try {
            return Optional.of(new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(luminance)), pure)
                    .getText());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static BufferedImage render(BitMatrix modules, int modulePixels) {
        int width = Math.multiplyExact(modules.getWidth(), modulePixels);
        int height = Math.multiplyExact(modules.getHeight(), modulePixels);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                Arrays.fill(row, x * modulePixels, (x + 1) * modulePixels, modules.get(x, y) ? BLACK : WHITE);
            }
            for (int dy = 0; dy < modulePixels; dy++) {
                image.setRGB(0, y * modulePixels + dy, width, 1, row, 0, width);
            }
        }
        return image;
    }
}
