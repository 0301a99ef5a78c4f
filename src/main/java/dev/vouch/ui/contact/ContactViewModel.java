package dev.vouch.ui.contact;

import dev.vouch.protocol.fingerprint.FingerprintException;
import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.qr.QrCodes;
import dev.vouch.qr.QrPayload;
import dev.vouch.qr.QrPayloadException;
import dev.vouch.qr.UnsupportedQrPayloadVersionException;
import dev.vouch.qr.camera.Cameras;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.service.DeviceEventDetail;
import dev.vouch.service.KeyDirectory;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.LogPosition;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.TransparencyStatus;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.VerificationState;
import dev.vouch.ui.common.CodeCamera;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.QrPictures;
import dev.vouch.ui.common.ScanProblem;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A contact's panel: the safety number (12 groups of 5 digits), our QR code for them to scan, and
 * scanning theirs with a webcam or from a picture (file, drop or clipboard). A match marks them
 * verified; anything else says in plain words what it means and what to do. Below: their devices,
 * their key history as a timeline with where each state was proven in the key transparency log,
 * and the log's status; all read in the background and read again whenever their keys change.
 */
public final class ContactViewModel {
    /** How the last scan ended. */
    public enum Outcome { NONE, VERIFIED, MISMATCH, PROBLEM }

    static final int QR_MODULE_PIXELS = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private final Session session;
    private final UiExecutors executors;
    private final Cameras cameras;
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
    private final MessengerListener keysListener = new MessengerListener() {
        @Override
        public void keysChanged(KeyDirectory.Observation observation) {
            if (observation.contact().handle().equals(handle)) {
                executors.onUi(ContactViewModel.this::load);
            }
        }
    };
    private final CodeCamera camera;

    public ContactViewModel(Session session, UiExecutors executors, Cameras cameras, String handle) {
        this.session = session;
        this.executors = executors;
        this.cameras = cameras;
        this.handle = handle;
        this.camera = new CodeCamera(cameras, executors, handle + "'s code", text -> scan(() -> text));
        session.addListener(keysListener);
    }

    public String handle() {
        return handle;
    }

    /** The safety number in 12 groups of 5 digits; empty until loaded or while no key is known. */
    public ObservableList<String> groups() {
        return groups;
    }

    /**
     * The contact's key history as a timeline, oldest first: one entry per event with its time, what
     * happened, the fingerprints and list version, and the event's standing in the log.
     */
    public ObservableList<String> history() {
        return history;
    }

    /** The contact's devices, listed now or removed: name, key fingerprint, date added, status. */
    public ObservableList<String> devices() {
        return devices;
    }

    /** Key transparency for this contact in words: where their key was proven, the log as last checked, alerts. */
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

    /** The camera in words: which one scans, why none can, or why it stopped. */
    public ReadOnlyStringProperty cameraNoteProperty() {
        return camera.noteProperty();
    }

    /** Whether a camera was found and can be started. */
    public ReadOnlyBooleanProperty cameraAvailableProperty() {
        return camera.availableProperty();
    }

    /** The names of the cameras found, in the system's order. */
    public ObservableList<String> cameraNames() {
        return camera.names();
    }

    /** Which of {@link #cameraNames()} scans (the first unless chosen); ignored while scanning. */
    public IntegerProperty chosenCameraProperty() {
        return camera.chosenProperty();
    }

    /** Whether the camera is scanning now. */
    public ReadOnlyBooleanProperty scanningProperty() {
        return camera.scanningProperty();
    }

    /** The camera's newest frame while scanning; null otherwise. */
    public ReadOnlyObjectProperty<BufferedImage> previewProperty() {
        return camera.previewProperty();
    }

    /** The webcam scanning of this panel, shared in form with every panel that scans a code. */
    public CodeCamera camera() {
        return camera;
    }

    private record Loaded(Contact contact, List<String> groups, BufferedImage qr, List<String> history,
                          List<String> devices, String transparency) {
    }

    /** Loads the number, the code, the devices, the timeline and the log's status. */
    public void load() {
        executors.run(() -> {
            KeyDirectory keys = session.messenger().keys();
            Contact contact = keys.require(handle);
            List<KeyEvent> events = keys.history(contact);
            TransparencyStatus status = session.messenger().transparency();
            Optional<LogPosition> position = session.messenger().logPosition(contact);
            List<String> deviceLines = deviceLines(keys.deviceList(contact), keys.devices(contact).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey,
                            d -> KeyFingerprint.of(d.getValue().serialize()))), events);
            List<String> timeline = timeline(events, position);
            String log = transparency(status, position, handle);
            if (contact.accountKey().isEmpty()) {
                return new Loaded(contact, List.of(), null, timeline, deviceLines, log);
            }
            SafetyNumber number = keys.safetyNumber(contact);
            BufferedImage code = QrCodes.encode(keys.qrPayload(contact).encode(), QR_MODULE_PIXELS);
            return new Loaded(contact, number.groups(), code, timeline, deviceLines, log);
        }, loaded -> {
            groups.setAll(loaded.groups());
            qr.set(loaded.qr());
            verification.set(describe(loaded.contact().verification()));
            history.setAll(loaded.history());
            devices.setAll(loaded.devices());
            transparency.set(loaded.transparency());
        }, failure -> problem(Problems.describe(failure)));
    }

    /**
     * One line per device: those of the newest signed list (or, without one, those we hold keys
     * for) as current, then those the key history shows were removed since.
     */
    static List<String> deviceLines(Optional<SignedDeviceList> list, Map<Integer, String> held, List<KeyEvent> events) {
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, Instant> added = new LinkedHashMap<>();
        Map<Integer, String> removed = new LinkedHashMap<>();
        for (KeyEvent e : events) {
            Optional<DeviceEventDetail> parsed = DeviceEventDetail.parse(e.detail());
            if (parsed.isEmpty()) {
                continue;
            }
            DeviceEventDetail d = parsed.get();
            if (e.type() == KeyEvent.Type.DEVICE_ADDED) {
                added.put(d.deviceId(), e.at());
                d.name().ifPresent(name -> names.put(d.deviceId(), name));
                removed.remove(d.deviceId());
            } else if (e.type() == KeyEvent.Type.DEVICE_REMOVED) {
                removed.put(d.deviceId(), d.fingerprint() + "  removed " + WHEN.format(e.at()));
            }
        }
        List<String> lines = new ArrayList<>();
        if (list.isPresent()) {
            for (SignedDeviceList.Device d : list.get().devices()) {
                lines.add(device(d.deviceId(), d.name()) + "  key " + KeyFingerprint.of(d.key().serialize())
                        + "  added " + WHEN.format(d.addedAt()) + "  current");
                removed.remove(d.deviceId());
            }
        } else {
            new TreeMap<>(held).forEach((id, key) -> lines.add(device(id, names.getOrDefault(id, "")) + "  key " + key
                    + (added.containsKey(id) ? "  added " + WHEN.format(added.get(id)) : "") + "  current"));
            held.keySet().forEach(removed::remove);
        }
        removed.forEach((id, what) -> lines.add(device(id, names.getOrDefault(id, "")) + "  key " + what));
        return lines;
    }

    private static String device(int id, String name) {
        return name.isEmpty() ? "Device " + id : "\"" + name + "\" (device " + id + ")";
    }

    static String transparency(TransparencyStatus status, Optional<LogPosition> position, String handle) {
        if (!status.enabled()) {
            return "This relay keeps no key transparency log: only comparing safety numbers protects you.";
        }
        long alerts = status.alerts().stream().filter(a -> a.subject().equals(handle)).count();
        String where = position.map(p -> handle + "'s key is proven in the relay's public log (entry " + p.index()
                + ", checked " + WHEN.format(p.checkedAt()) + ").").orElse(handle + "'s key has not been proven in the"
                + " relay's log yet.");
        String head = status.newestHead().map(h -> " The newest log state this computer verified holds " + h.size()
                + " entries, signed " + WHEN.format(Instant.ofEpochMilli(h.timestamp())) + ".")
                .orElse(" This computer has not verified a state of the log yet.");
        String consistency = status.checkedAt().map(t -> " It last checked that the log only grew on "
                + WHEN.format(t) + ".").orElse(" It has not checked that the log only grows yet.");
        String warnings = status.alerts().isEmpty() ? " No transparency alerts."
                : " " + status.alerts().size() + " transparency alert(s)" + (alerts > 0 ? ", " + alerts + " about "
                + handle : "") + ": " + status.alerts().stream().map(a -> WHEN.format(a.at()) + " " + a.explanation())
                .collect(Collectors.joining("; ")) + ". See vouch log status.";
        return where + head + consistency + warnings;
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
            case DEVICE_LIST_REFUSED -> "Device list refused";
        };
        return WHEN.format(e.at()) + "  " + what + ": " + e.detail();
    }

    /**
     * The timeline: {@link #line(KeyEvent)} per event, then the event's standing in the log where it
     * is known. The log proves a handle's current keys (account key and newest device list), so the
     * newest event that changed them gets the proven position, earlier ones were superseded, and a
     * failed check says so.
     */
    static List<String> timeline(List<KeyEvent> events, Optional<LogPosition> position) {
        int newest = -1;
        for (int i = 0; i < events.size(); i++) {
            if (changesKeys(events.get(i).type())) {
                newest = i;
            }
        }
        List<String> lines = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            KeyEvent e = events.get(i);
            String proof = "";
            if (e.type() == KeyEvent.Type.TRANSPARENCY_CHECK_FAILED) {
                proof = "log proof failed";
            } else if (i == newest) {
                proof = position.map(p -> "keys as of this change proven at log position " + p.index() + " (entry "
                        + p.version() + " of the handle, log of " + p.headSize() + " entries, checked "
                        + WHEN.format(p.checkedAt()) + ")").orElse("not proven in a log: the relay keeps none, or"
                        + " has not served these keys since");
            } else if (changesKeys(e.type())) {
                proof = "superseded by a later change";
            }
            lines.add(line(e) + (proof.isEmpty() ? "" : "\n    " + proof));
        }
        return lines;
    }

    private static boolean changesKeys(KeyEvent.Type type) {
        return switch (type) {
            case FIRST_SEEN, ACCOUNT_KEY_CHANGED, DEVICE_ADDED, DEVICE_REMOVED -> true;
            default -> false;
        };
    }

    /** Scans a picture file (chosen, dropped or pasted as a file). */
    public void scanFile(Path file) {
        scan(() -> QrPictures.read(file));
    }

    /** Scans a picture that is already in memory (pasted from the clipboard, dropped from a browser). */
    public void scanImage(BufferedImage image) {
        scan(() -> QrPictures.decode(image));
    }

    /** Where the text of a code comes from: a picture to decode, or a camera that already read it. */
    @FunctionalInterface
    private interface Source {
        String read() throws ScanProblem;
    }

    private void scan(Source source) {
        busyText.set("Reading the code…");
        outcome.set(Outcome.NONE);
        outcomeText.set("");
        executors.run(() -> {
            String text = source.read();
            QrPayload payload;
            try {
                payload = QrPayload.decode(text);
            } catch (UnsupportedQrPayloadVersionException e) {
                throw new ScanProblem("That Vouch code is in format " + e.version() + ", and this Vouch reads format "
                        + QrPayload.VERSION + ": one of you has a different version of Vouch. Nothing was changed."
                        + " Update the older one, or compare the 60 digits instead.");
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

    // ----- the camera

    /** Looks for cameras in the background; {@link #cameraNoteProperty()} says what was found or why there is none. */
    public void findCameras() {
        camera.find();
    }

    /** Starts the chosen camera and scans until a code is read, the camera stops, or {@link #stopCamera()}. */
    public void startCamera() {
        camera.start();
    }

    /** Stops the camera; the picture ways stay as they were. */
    public void stopCamera() {
        camera.stop();
    }

    /** The panel is gone: stops the camera and stops listening for key changes. */
    public void dispose() {
        session.removeListener(keysListener);
        camera.dispose();
    }
}
