package dev.vouch.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payload text through a rendered image and back, also after the changes a real scan brings. */
class QrCodesTest {
    private static String payload;
    private static BufferedImage code;

    @BeforeAll
    static void renderExample() {
        payload = QrPayloadTest.documentedExample().encode();
        code = QrCodes.encode(payload);
    }

    @Test
    void roundTripsAPayload() throws QrPayloadException {
        assertThat(QrCodes.decode(code)).contains(payload);
        assertThat(QrPayload.decode(QrCodes.decode(code).orElseThrow())).isEqualTo(QrPayloadTest.documentedExample());
    }

    @Test
    void rendersWholeModulesWithAQuietZone() {
        BufferedImage small = QrCodes.encode(payload, 1);
        int modules = small.getWidth();
        assertThat(small.getHeight()).isEqualTo(modules);
        assertThat((modules - 2 * QrCodes.QUIET_ZONE_MODULES - 17) % 4).as("QR sizes are 17 + 4 * version").isZero();
        assertThat(code.getWidth()).isEqualTo(modules * QrCodes.DEFAULT_MODULE_PIXELS);
        for (int i = 0; i < QrCodes.QUIET_ZONE_MODULES; i++) {
            assertThat(small.getRGB(i, i) & 0xffffff).isEqualTo(0xffffff);
        }
        assertThat(small.getRGB(QrCodes.QUIET_ZONE_MODULES, QrCodes.QUIET_ZONE_MODULES) & 0xffffff).isZero();
    }

    @Test
    void readsAScaledImage() {
        BufferedImage scaled = transform(code, AffineTransform.getScaleInstance(0.63, 0.63),
                (int) (code.getWidth() * 0.63), (int) (code.getHeight() * 0.63));
        assertThat(QrCodes.decode(scaled)).contains(payload);
    }

    @Test
    void readsAnImageRotatedByNinetyDegrees() {
        AffineTransform rotation = new AffineTransform();
        rotation.translate(code.getHeight(), 0);
        rotation.quadrantRotate(1);
        BufferedImage rotated = transform(code, rotation, code.getHeight(), code.getWidth());
        assertThat(QrCodes.decode(rotated)).contains(payload);
    }

    @Test
    void readsACodeInsideAScreenshot() {
        BufferedImage screen = new BufferedImage(1600, 1000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = screen.createGraphics();
        g.setColor(new Color(0xeeeeee));
        g.fillRect(0, 0, 1600, 1000);
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) { // window chrome and text-like clutter around the code
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(random.nextInt(1600), random.nextInt(1000), 20 + random.nextInt(200), 4 + random.nextInt(20));
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(code, 900, 300, (int) (code.getWidth() * 0.8), (int) (code.getHeight() * 0.8), null);
        g.dispose();
        assertThat(QrCodes.decode(screen)).contains(payload);
    }

    @Test
    void readsAnInvertedCode() {
        BufferedImage inverted = new BufferedImage(code.getWidth(), code.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                inverted.setRGB(x, y, ~code.getRGB(x, y));
            }
        }
        assertThat(QrCodes.decode(inverted)).contains(payload);
    }

    @Test
    void roundTripsTextOutsideTheAlphanumericSet() {
        String text = "Grüße, 世界 😀 vouch://verify?x=1";
        assertThat(QrCodes.decode(QrCodes.encode(text, 4))).contains(text);
    }

    /** Rendered codes that ZXing's finder alone does not find (found by rendering random invites). */
    @Test
    void readsRenderedCodesWhoseDataLooksLikeAFinderPattern() {
        for (String link : List.of(
                "vouch://relay?v=1&host=127.0.0.1&port=33565&pin=Wgfpj1dWmFFAbKVKGauCkStybEi1t0N-VMhuSwkrRBc"
                        + "&log=g-vcYjpkTq9w2sqKlMZ_uW-sJYyoefRzAewnOkmFPAs&exp=1796432575",
                "vouch://relay?v=1&host=127.0.0.1&port=51893&pin=YoPuwaqdld69ox2nVQP-YbgueStKbaE-DkZtN8hknAw"
                        + "&log=EUpnv3CUV7mQNYYzJJhGRGSQeV4b40Y5QjzRvX2g4os&exp=1796432575",
                "vouch://relay?v=1&host=127.0.0.1&port=59250&pin=w86Xq2MyWZ8luS9_HkuJxHP_HaarrGToMGe52qEh7X8"
                        + "&exp=1796432575")) {
            assertThat(QrCodes.decode(QrCodes.encode(link))).as(link).contains(link);
        }
    }

    @Test
    void findsNothingWhereThereIsNoCode() {
        BufferedImage blank = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        assertThat(QrCodes.decode(blank)).isEmpty();
        BufferedImage noise = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        assertThat(QrCodes.decode(noise)).isEmpty();
    }

    @Test
    void refusesTextThatCannotBeEncoded() {
        assertThatThrownBy(() -> QrCodes.encode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrCodes.encode("x".repeat(8000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrCodes.encode("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BufferedImage transform(BufferedImage source, AffineTransform transform, int width, int height) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(transform, AffineTransformOp.TYPE_BILINEAR).filter(source, target);
        return target;
    }
}
