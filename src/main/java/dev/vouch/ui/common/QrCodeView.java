package dev.vouch.ui.common;

import java.awt.image.BufferedImage;
import javafx.beans.value.ObservableValue;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/**
 * A QR code for someone to scan off the screen (a safety code, a link code): 300 pixels square and
 * never smoothed, since a camera needs crisp module edges; it follows the model's picture.
 */
public final class QrCodeView extends ImageView {
    static final double SIZE = 300;

    public QrCodeView(String id, ObservableValue<BufferedImage> code) {
        setId(id);
        setFitWidth(SIZE);
        setFitHeight(SIZE);
        setPreserveRatio(true);
        setSmooth(false);
        setImage(toFx(code.getValue()));
        code.addListener((o, was, now) -> setImage(toFx(now)));
    }

    private static Image toFx(BufferedImage picture) {
        return picture == null ? null : SwingFXUtils.toFXImage(picture, null);
    }
}
