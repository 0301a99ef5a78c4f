package dev.vouch.ui.contact;

import dev.vouch.protocol.fingerprint.FingerprintException;
import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.qr.QrCodes;
import dev.vouch.qr.QrPayload;
import dev.vouch.qr.QrPayloadException;
import dev.vouch.service.KeyDirectory;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.LogPosition;
import dev.vouch.service.TransparencyStatus;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.VerificationState;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javax.imageio.ImageIO;

/**
 * A contact's panel: the safety number (12 groups of 5 digits), our QR code for them to scan, and
 * scanning theirs from a picture (file, drop or clipboard). A match marks them verified; anything
 * else says in plain words what it means and what to do.
 */
public final class ContactViewModel {
    /** How the last scan ended. */
    public enum Outcome { NONE, VERIFIED, MISMATCH, PROBLEM }

    static final int QR_MODULE_PIXELS = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final Session session;
    private final UiExecutors executors;
    private final String handle;
    private final ObservableList<String> groups = FXCollections.observableArrayList();
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final ObservableList<String> devices = FXCollections.observableArrayList();
    private final StringProperty transparency = new SimpleStringProperty("");
    private final ObjectProperty<BufferedImage> qr = new SimpleObjectProperty<>();
    private final StringProperty verification = new SimpleStringProperty("");
    private final ObjectProperty<Outcome> outcome = new SimpleObjectProperty<>(Outcome.NONE);
    private final StringProperty outcomeText = new SimpleStringProperty("");
    private final StringProperty busyText = new SimpleStringProperty("");

    public ContactViewModel(Session session, UiExecutors executors, String handle) {
        this.session = session;
        this.executors = executors;
        this.handle = handle;
    }

    public String handle() {
        return handle;
    }

    /** The safety number in 12 groups of 5 digits; empty until loaded or while no key is known. */
    public ObservableList<String> groups() {
        return groups;
    }

    /** The contact's key history, newest last, one line per event. */
    public ObservableList<String> history() {
        return history;
    }

    /** The contact's devices as last seen: number and key fingerprint. */
    public ObservableList<String> devices() {
        return devices;
    }

    /** Key transparency for this contact in words: where their key was proven, and any alert. */
    public ReadOnlyStringProperty transparencyProperty() {
        return transparency;
    }

    /** The QR code they scan to verify us (ZXing's image; the view turns it into pixels). */
    public ReadOnlyObjectProperty<BufferedImage> qrProperty() {
        return qr;
    }

    public ReadOnlyStringProperty verificationProperty() {
        return verification;
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome;
    }

    public ReadOnlyStringProperty outcomeTextProperty() {
        return outcomeText;
    }

    public ReadOnlyStringProperty busyTextProperty() {
        return busyText;
    }

    private record Loaded(Contact contact, List<String> groups, BufferedImage qr, List<KeyEvent> history,
                          List<String> devices, String transparency) {
    }

    /** Loads the number, the code and the history. */
    public void load() {
        executors.run(() -> {
            KeyDirectory keys = session.messenger().keys();
            Contact contact = keys.require(handle);
            List<String> deviceLines = keys.devices(contact).entrySet().stream()
                    .map(d -> "Device " + d.getKey() + "  key " + KeyFingerprint.of(d.getValue().serialize())).toList();
            String log = transparency(session.messenger().transparency(), session.messenger().logPosition(contact),
                    handle);
            if (contact.accountKey().isEmpty()) {
                return new Loaded(contact, List.of(), null, keys.history(contact), deviceLines, log);
            }
            SafetyNumber number = keys.safetyNumber(contact);
            BufferedImage code = QrCodes.encode(keys.qrPayload(contact).encode(), QR_MODULE_PIXELS);
            return new Loaded(contact, number.groups(), code, keys.history(contact), deviceLines, log);
        }, loaded -> {
            groups.setAll(loaded.groups());
            qr.set(loaded.qr());
            verification.set(describe(loaded.contact().verification()));
            history.setAll(loaded.history().stream().map(ContactViewModel::line).toList());
            devices.setAll(loaded.devices());
            transparency.set(loaded.transparency());
        }, failure -> problem(Problems.describe(failure)));
    }

    static String transparency(TransparencyStatus status, Optional<LogPosition> position, String handle) {
        if (!status.enabled()) {
            return "This relay keeps no key transparency log: only comparing safety numbers protects you.";
        }
        long alerts = status.alerts().stream().filter(a -> a.subject().equals(handle)).count();
        String where = position.map(p -> handle + "'s key is proven in the relay's public log (entry " + p.index()
                + ", checked " + WHEN.format(p.checkedAt()) + ").").orElse(handle + "'s key has not been proven in the"
                + " relay's log yet.");
        String warnings = status.alerts().isEmpty() ? " No transparency alerts."
                : " " + status.alerts().size() + " transparency alert(s)" + (alerts > 0 ? ", " + alerts + " about "
                + handle : "") + ": see vouch log status.";
        return where + warnings;
    }

    static String describe(VerificationState state) {
        return switch (state) {
            case VERIFIED -> "Verified: you compared safety numbers. You will be warned if their key changes.";
            case CHANGED_AFTER_VERIFIED -> "Their key changed after you verified them. Messages to them are held"
                    + " until you review the change.";
            default -> "Not verified yet: compare the safety number in person or scan their code.";
        };
    }

    static String line(KeyEvent e) {
        String what = switch (e.type()) {
            case FIRST_SEEN -> "First seen";
            case ACCOUNT_KEY_CHANGED -> "Safety number changed";
            case DEVICE_ADDED -> "Device added";
            case DEVICE_REMOVED -> "Device removed";
            case VERIFIED -> "Verified";
            case VERIFICATION_REMOVED -> "Verification removed";
            case TRANSPARENCY_CHECK_FAILED -> "Transparency check failed";
            case ROLLBACK_REFUSED -> "Rollback refused";
        };
        return WHEN.format(e.at()) + "  " + what + ": " + e.detail();
    }

    /** Scans a picture file (chosen, dropped or pasted as a file). */
    public void scanFile(Path file) {
        scan(() -> {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException e) {
                throw new ScanProblem("Vouch could not read " + file.getFileName() + " (" + e.getMessage() + ").");
            }
            if (image == null) {
                throw new ScanProblem(file.getFileName() + " is not a picture Vouch can read. Use a PNG or JPEG"
                        + " photo or screenshot of their code.");
            }
            return image;
        });
    }

    /** Scans a picture that is already in memory (pasted from the clipboard, dropped from a browser). */
    public void scanImage(BufferedImage image) {
        scan(() -> image);
    }

    @FunctionalInterface
    private interface Source {
        BufferedImage read() throws ScanProblem;
    }

    private static final class ScanProblem extends Exception {
        ScanProblem(String message) {
            super(message);
        }
    }

    private void scan(Source source) {
        busyText.set("Reading the code…");
        outcome.set(Outcome.NONE);
        outcomeText.set("");
        executors.run(() -> {
            BufferedImage image = source.read();
            String text = QrCodes.decode(image).orElseThrow(() -> new ScanProblem("No QR code was found in that"
                    + " picture. Take it again with the whole code in view, sharp and not too small."));
            QrPayload payload;
            try {
                payload = QrPayload.decode(text);
            } catch (QrPayloadException e) {
                throw new ScanProblem("That QR code is not a Vouch verification code. Ask " + handle + " to open"
                        + " your contact panel in their Vouch and show you the code there.");
            }
            if (!payload.handle().equals(handle)) {
                throw new ScanProblem("That is " + payload.handle() + "'s code, not " + handle + "'s. Nothing was"
                        + " changed. Scan the code " + handle + " shows on their screen for you.");
            }
            KeyDirectory keys = session.messenger().keys();
            Contact contact = keys.require(handle);
            try {
                return keys.verifyScan(contact, payload);
            } catch (FingerprintException e) {
                throw new ScanProblem("That code comes from a different version of Vouch and cannot be compared"
                        + " (" + e.getMessage() + "). Compare the 60 digits instead.");
            }
        }, result -> {
            busyText.set("");
            if (result == KeyDirectory.VerifyResult.MATCH) {
                outcome.set(Outcome.VERIFIED);
                outcomeText.set("Verified. The safety numbers match: you are talking to " + handle + "'s key, and"
                        + " Vouch will warn you if it ever changes.");
            } else {
                outcome.set(Outcome.MISMATCH);
                outcomeText.set("The safety numbers do not match. Either " + handle + " has a new key (a new"
                        + " computer or a reinstall), or someone between you is substituting keys. Do not trust"
                        + " this conversation with anything sensitive: ask " + handle + ", in person or on a call,"
                        + " whether they changed devices, then compare again.");
            }
            load();
        }, failure -> {
            busyText.set("");
            problem(failure instanceof ScanProblem ? failure.getMessage() : Problems.describe(failure));
        });
    }

    private void problem(String text) {
        outcome.set(Outcome.PROBLEM);
        outcomeText.set(text);
    }

    /** The clipboard or the drop held neither a picture nor a file. */
    public void scanImageMissing() {
        problem("There is no picture on the clipboard. Copy a screenshot or photo of their code first.");
    }

    /** Says why a webcam cannot be used (none is supported in this version). */
    public String cameraNote() {
        return "Scanning with a camera is not available in this version: take a photo or screenshot of their"
                + " code and open, drop or paste it here.";
    }
}
