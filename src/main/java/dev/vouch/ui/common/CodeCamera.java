package dev.vouch.ui.common;

import dev.vouch.qr.camera.Camera;
import dev.vouch.qr.camera.CameraException;
import dev.vouch.qr.camera.CameraUnavailableException;
import dev.vouch.qr.camera.Cameras;
import dev.vouch.qr.camera.QrScanner;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Scanning a QR code with a webcam, for every panel that takes a code (a contact's safety code, a
 * new device's link code): finds the cameras, runs the chosen one with a live preview that skips
 * frames the UI thread has no time for, and hands the first code read to its owner, once, on the
 * UI thread; then the camera stops. A camera that cannot be used, or goes away, is said in words.
 */
public final class CodeCamera {
    private final Cameras cameras;
    private final UiExecutors executors;
    private final String code;
    private final Consumer<String> read;
    private final StringProperty note = new SimpleStringProperty("Looking for a camera…");
    private final BooleanProperty available = new SimpleBooleanProperty(false);
    private final BooleanProperty scanning = new SimpleBooleanProperty(false);
    private final ObjectProperty<BufferedImage> preview = new SimpleObjectProperty<>();
    /** The newest camera frame not yet shown: the preview skips frames the UI thread has no time for. */
    private final AtomicReference<BufferedImage> nextPreview = new AtomicReference<>();
    private final ObservableList<String> names = FXCollections.observableArrayList();
    private final IntegerProperty chosen = new SimpleIntegerProperty(0);
    private List<Camera> found = List.of();
    private QrScanner scanner;
    private boolean disposed;

    /**
     * @param code what is scanned, in words ("bob's code", "the new device's code")
     * @param read given the text of the first code the camera reads, on the UI thread
     */
    public CodeCamera(Cameras cameras, UiExecutors executors, String code, Consumer<String> read) {
        this.cameras = cameras;
        this.executors = executors;
        this.code = code;
        this.read = read;
        chosen.addListener((o, was, now) -> {
            if (!scanning.get() && !found.isEmpty()) {
                note.set(idle());
            }
        });
    }

    /** The camera in words: which one scans, why none can, or why it stopped. */
    public ReadOnlyStringProperty noteProperty() {
        return note;
    }

    /** Whether a camera was found and can be started. */
    public ReadOnlyBooleanProperty availableProperty() {
        return available;
    }

    /** The names of the cameras found, in the system's order. */
    public ObservableList<String> names() {
        return names;
    }

    /** Which of {@link #names()} scans (the first unless chosen); ignored while scanning. */
    public IntegerProperty chosenProperty() {
        return chosen;
    }

    /** Whether the camera is scanning now. */
    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning;
    }

    /** The camera's newest frame while scanning; null otherwise. */
    public ReadOnlyObjectProperty<BufferedImage> previewProperty() {
        return preview;
    }

    /** Looks for cameras in the background; {@link #noteProperty()} says what was found or why there is none. */
    public void find() {
        executors.run(cameras::list, list -> {
            found = list;
            chosen.set(0);
            names.setAll(list.stream().map(Camera::name).toList());
            available.set(!list.isEmpty());
            note.set(list.isEmpty() ? "No camera found: connect a webcam and open this panel again, or open,"
                    + " drop or paste a picture of " + code + "." : idle());
        }, failure -> {
            found = List.of();
            names.clear();
            available.set(false);
            String why = failure instanceof CameraUnavailableException ? failure.getMessage()
                    : "The camera could not be used: " + Problems.describe(failure);
            note.set(why + " Open, drop or paste a picture of " + code + " instead.");
        });
    }

    /** "Camera: NAME." for the chosen camera. */
    private String idle() {
        return "Camera: " + camera().name() + ".";
    }

    private Camera camera() {
        return found.get(Math.max(0, Math.min(chosen.get(), found.size() - 1)));
    }

    /** Starts the chosen camera and scans until a code is read, the camera stops, or {@link #stop()}. */
    public void start() {
        if (scanning.get() || found.isEmpty() || disposed) {
            return;
        }
        Camera camera = camera();
        scanning.set(true);
        note.set("Starting " + camera.name() + "…");
        executors.run(camera::open, stream -> {
            if (!scanning.get() || disposed) {
                stream.close(); // stopped while it was starting
                return;
            }
            note.set("Hold " + code + " in front of " + camera.name() + ".");
            scanner = QrScanner.start(stream, new QrScanner.Listener() {
                @Override
                public void frame(BufferedImage frame) {
                    if (nextPreview.getAndSet(frame) == null) {
                        executors.onUi(() -> {
                            BufferedImage newest = nextPreview.getAndSet(null);
                            if (scanning.get()) {
                                preview.set(newest);
                            }
                        });
                    }
                }

                @Override
                public void found(String text) {
                    executors.onUi(() -> {
                        if (scanning.get()) {
                            stopped("Code read with " + camera.name() + ".");
                            read.accept(text);
                        }
                    });
                }

                @Override
                public void failed(CameraException problem) {
                    executors.onUi(() -> {
                        if (scanning.get()) {
                            stopped(problem.getMessage() + " Nothing was changed. Connect it and press Camera"
                                    + " again, or open, drop or paste a picture of " + code + ".");
                        }
                    });
                }
            });
        }, failure -> {
            scanning.set(false);
            note.set((failure instanceof CameraException ? failure.getMessage() : Problems.describe(failure))
                    + " Open, drop or paste a picture of " + code + " instead.");
        });
    }

    /** Stops the camera; the picture ways stay as they were. */
    public void stop() {
        if (scanning.get()) {
            stopped(found.isEmpty() ? "" : idle());
        }
    }

    private void stopped(String text) {
        scanning.set(false);
        preview.set(null);
        nextPreview.set(null);
        note.set(text);
        QrScanner running = scanner;
        scanner = null;
        if (running != null) {
            executors.background().execute(running::close);
        }
    }

    /** The panel is gone: stops the camera for good. */
    public void dispose() {
        disposed = true;
        stop();
    }
}
