package dev.vouch.ui.settings;

import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.qr.LinkCode;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.qr.camera.Cameras;
import dev.vouch.ui.common.CodeCamera;
import dev.vouch.ui.common.LinkProblems;
import dev.vouch.ui.common.QrPictures;
import dev.vouch.ui.common.ScanProblem;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Linking a new device from a device of the account (docs/devices.md, "Linking"): takes the new
 * device's link code (pasted text, a picture of its QR code, or the webcam), checks it and shows the new
 * device's key fingerprint and suggested name for the user to confirm, then links it and hands the
 * new signed device list on. A refused code says why in plain words and changes nothing.
 */
public final class LinkDeviceViewModel {
    /** Where the linking stands. */
    public enum Step { CODE, CHECKING, CONFIRM, LINKING, DONE }

    /** How long the new device has to answer once the account is sent to it. */
    static final Duration ANSWER_WAIT = Duration.ofMinutes(2);

    private final Session session;
    private final UiExecutors executors;
    private final Consumer<SignedDeviceList> linked;
    private final StringProperty codeText = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<Step> step = new ReadOnlyObjectWrapper<>(Step.CODE);
    private final ReadOnlyStringWrapper fingerprint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final CodeCamera camera;
    private LinkCode code;

    /**
     * @param cameras webcams to scan the new device's QR code with
     * @param linked  called on the UI thread with the list that holds the new device
     */
    public LinkDeviceViewModel(Session session, UiExecutors executors, Cameras cameras,
                               Consumer<SignedDeviceList> linked) {
        this.session = session;
        this.executors = executors;
        this.linked = linked;
        this.camera = new CodeCamera(cameras, executors, "the new device's code", text -> check(() -> text));
    }

    /** Scanning the new device's QR code with a webcam: the first code read is checked as if pasted. */
    public CodeCamera camera() {
        return camera;
    }

    /** The pasted code text. */
    public StringProperty codeTextProperty() {
        return codeText;
    }

    /** The new device's name as it will be listed: its suggestion, editable before confirming. */
    public StringProperty nameProperty() {
        return name;
    }

    public ReadOnlyObjectProperty<Step> stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** The new device's key fingerprint, to compare with the one its screen shows. */
    public ReadOnlyStringProperty fingerprintProperty() {
        return fingerprint.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Checks the pasted text as a link code. */
    public void takePasted() {
        String text = codeText.get().strip();
        if (text.isEmpty()) {
            problem.set("Paste the code the new device shows first (its Copy button copies it).");
            return;
        }
        check(() -> text);
    }

    /** Reads the link code from a picture file (chosen or dropped). */
    public void scanFile(Path file) {
        check(() -> QrPictures.read(file));
    }

    /** Reads the link code from a picture already in memory (pasted, dropped from a browser). */
    public void scanImage(BufferedImage image) {
        check(() -> QrPictures.decode(image));
    }

    /** The clipboard or the drop held no picture, file or text. */
    public void nothingToScan() {
        problem.set("There is nothing to read on the clipboard. Copy the new device's code (or a picture of it) first.");
    }

    /** Where the text of a code comes from. */
    @FunctionalInterface
    private interface Source {
        String read() throws ScanProblem;
    }

    private void check(Source source) {
        if (step.get() == Step.CHECKING || step.get() == Step.LINKING) {
            return;
        }
        step.set(Step.CHECKING);
        problem.set("");
        status.set("Checking the code…");
        executors.run(() -> {
            LinkCode read = LinkCode.decode(source.read().strip());
            return new Checked(read, KeyFingerprint.of(session.messenger().checkLinkCode(read).serialize()));
        }, checked -> {
            code = checked.code();
            fingerprint.set(checked.fingerprint());
            name.set(checked.code().name());
            status.set("");
            step.set(Step.CONFIRM);
        }, failure -> refused(failure));
    }

    /** Links the device whose code was checked, under the name as it stands now. */
    public void confirm() {
        if (step.get() != Step.CONFIRM || code == null) {
            return;
        }
        String chosen = name.get().strip();
        if (chosen.isEmpty()) {
            problem.set("Give the new device a name, so you can tell your devices apart.");
            return;
        }
        LinkCode taken = code;
        step.set(Step.LINKING);
        problem.set("");
        status.set("Sending your account to " + chosen + " and waiting for it to answer…");
        executors.run(() -> session.messenger().acceptLink(taken, chosen, ANSWER_WAIT), list -> {
            code = null;
            codeText.set("");
            step.set(Step.DONE);
            status.set("Linked " + chosen + ". It now receives your messages, and your contacts see it among your"
                    + " devices.");
            linked.accept(list);
        }, failure -> refused(failure));
    }

    /** Leaves the code unused and starts over. */
    public void cancel() {
        if (step.get() == Step.LINKING || step.get() == Step.CHECKING) {
            return;
        }
        reset();
        problem.set("");
        status.set("");
    }

    private void refused(Exception failure) {
        reset();
        status.set("");
        problem.set(LinkProblems.describe(failure));
    }

    private void reset() {
        code = null;
        fingerprint.set("");
        name.set("");
        step.set(Step.CODE);
    }

    private record Checked(LinkCode code, String fingerprint) {
    }
}
