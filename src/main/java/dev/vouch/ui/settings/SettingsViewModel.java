package dev.vouch.ui.settings;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.relay.api.Invite;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.store.WrongPassphraseException;
import dev.vouch.ui.archive.ArchiveViewModel;
import dev.vouch.ui.common.LinkProblems;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.ThemeChoice;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.common.UiSettings;
import dev.vouch.ui.onboarding.PassphraseStrength;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The settings of the unlocked profile: its relay and pins, this account's devices, the passphrase,
 * the auto-lock time, the send-hold policy, the theme and notifications. Choices take effect at
 * once and are remembered: the window's in {@code ui.properties} ({@link UiSettings}), the hold
 * policy in the encrypted profile. Store work runs through {@link UiExecutors}.
 */
public final class SettingsViewModel {
    /** The auto-lock times offered; zero is never. */
    public static final List<Duration> AUTO_LOCK_CHOICES = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(60), Duration.ZERO);

    /** How to check the pins, in one sentence. */
    public static final String HOW_TO_CHECK = "To check them, compare these with the pin and log key the relay's"
            + " operator publishes (vouch relay prints both when it starts): if they differ, someone may be"
            + " between you and your relay, so stop and ask the operator.";

    /** What the window does when a choice applies at once: the shell locks and paints by these. */
    public interface Effects {
        void autoLock(Duration timeout);

        void theme(ThemeChoice choice);
    }

    private final Session session;
    private final UiSettings settings;
    private final UiExecutors executors;
    private final Argon2id.Params kdf;
    private final Clock clock;
    private final Effects effects;

    private final ObservableList<DeviceRow> devices = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper deviceListVersion = new ReadOnlyStringWrapper("Reading the device list…");
    private final ReadOnlyStringWrapper devicesProblem = new ReadOnlyStringWrapper("");

    private final ReadOnlyObjectWrapper<PassphraseStrength> strength = new ReadOnlyObjectWrapper<>(PassphraseStrength.EMPTY);
    private final ReadOnlyBooleanWrapper changing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper passphraseProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper passphraseStatus = new ReadOnlyStringWrapper("");

    private final ObjectProperty<Duration> autoLock = new SimpleObjectProperty<>();
    private final BooleanProperty holdNewDevices = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper holdPolicyKnown = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper holdProblem = new ReadOnlyStringWrapper("");
    private boolean settingHold;

    private final ObjectProperty<ThemeChoice> theme = new SimpleObjectProperty<>();
    private final BooleanProperty notifications = new SimpleBooleanProperty();
    private final ObjectProperty<NotificationContent> notificationContent = new SimpleObjectProperty<>();

    /**
     * @param currentAutoLock the auto-lock time in force now
     * @param kdf             the Argon2id cost for a new passphrase
     */
    public SettingsViewModel(Session session, UiSettings settings, Duration currentAutoLock, UiExecutors executors,
                             Argon2id.Params kdf, Clock clock, Effects effects) {
        this.session = session;
        this.settings = settings;
        this.executors = executors;
        this.kdf = kdf;
        this.clock = clock;
        this.effects = effects;

        autoLock.set(currentAutoLock);
        autoLock.addListener((o, was, now) -> {
            if (now != null && !now.equals(was)) {
                effects.autoLock(now);
                settings.autoLock(now);
                settings.save();
            }
        });
        theme.set(settings.themeChoice());
        theme.addListener((o, was, now) -> {
            if (now != null && now != was) {
                settings.themeChoice(now);
                settings.save();
                effects.theme(now);
            }
        });
        notifications.set(settings.notifications());
        notifications.addListener((o, was, now) -> {
            settings.notifications(now);
            settings.save();
        });
        notificationContent.set(settings.notificationContent());
        notificationContent.addListener((o, was, now) -> {
            if (now != null) {
                settings.notificationContent(now);
                settings.save();
            }
        });
        holdNewDevices.addListener((o, was, now) -> {
            if (!settingHold && holdPolicyKnown.get() && now != was) {
                storeHoldPolicy(now);
            }
        });
    }

    /** Reads what lives in the profile (the device list, the hold policy) in the background. */
    public void load() {
        int thisDevice = session.messenger().account().deviceId();
        executors.run(() -> session.messenger().ownDevices(), list -> showDevices(list, thisDevice),
                failure -> {
                    deviceListVersion.set("");
                    devicesProblem.set("The device list cannot be read: " + Problems.describe(failure));
                });
        executors.run(() -> session.messenger().keys().holdsNewDevices(), hold -> {
            setHoldQuietly(hold);
            holdPolicyKnown.set(true);
        }, failure -> holdProblem.set(Problems.describe(failure)));
    }

    private void showDevices(Optional<SignedDeviceList> list, int thisDevice) {
        if (list.isEmpty()) {
            devices.clear();
            deviceListVersion.set("This account has not published a signed device list yet.");
            return;
        }
        devices.setAll(list.get().devices().stream().map(d -> new DeviceRow(d.deviceId(),
                d.name().isEmpty() ? "Device " + d.deviceId() : d.name(), KeyFingerprint.of(d.key().serialize()),
                d.addedAt(), d.deviceId() == thisDevice)).toList());
        deviceListVersion.set("Signed by this account's key; list version " + list.get().version() + ".");
    }

    private void storeHoldPolicy(boolean hold) {
        holdProblem.set("");
        executors.run(() -> {
            session.messenger().keys().holdNewDevices(hold);
            return null;
        }, done -> {
        }, failure -> {
            setHoldQuietly(!hold);
            holdProblem.set("The policy was not changed: " + Problems.describe(failure));
        });
    }

    private void setHoldQuietly(boolean hold) {
        settingHold = true;
        try {
            holdNewDevices.set(hold);
        } finally {
            settingHold = false;
        }
    }

    // The relay

    public String relayAddress() {
        Invite invite = session.messenger().invite();
        return invite.host() + ":" + invite.port();
    }

    /** The relay's TLS key pin (SHA-256 of its public key), as in the invite link. */
    public String relayPin() {
        return session.messenger().invite().pinText();
    }

    /** The transparency log's key as in the invite link, or a sentence saying the relay runs none. */
    public String logKey() {
        return session.messenger().invite().logKeyText().orElse("(this relay's invite names no transparency log)");
    }

    /** What the copy button puts on the clipboard: the address and both pins, one per line. */
    public String pinsText() {
        return "relay " + relayAddress() + "\npin " + relayPin() + "\nlog key " + logKey() + "\n";
    }

    // This account's devices

    public ObservableList<DeviceRow> devices() {
        return devices;
    }

    public ReadOnlyStringProperty deviceListVersionProperty() {
        return deviceListVersion.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty devicesProblemProperty() {
        return devicesProblem.getReadOnlyProperty();
    }

    /** What unlinking does, said before it is done. */
    public static String unlinkWarning(DeviceRow row) {
        return "Unlink " + row.name() + "? It stops receiving your messages at once and can no longer send as you;"
                + " your contacts stop writing to it. It still knew your account key: if it was lost or stolen"
                + " rather than retired, start your account anew with a new account key (your contacts then see"
                + " your key change and verify you again), since whoever holds it could pass for you.";
    }

    /** The model of "Link a new device": a link shows the new list here. */
    public LinkDeviceViewModel linkDevice(dev.vouch.qr.camera.Cameras cameras) {
        int thisDevice = session.messenger().account().deviceId();
        return new LinkDeviceViewModel(session, executors, cameras, list -> showDevices(Optional.of(list), thisDevice));
    }

    /** Runs a piece of clean-up off the UI thread (the window's camera library, when it closes). */
    void background(Runnable work) {
        executors.background().execute(work);
    }

    /** Removes another device of this account (confirmed by the user), then shows the list without it. */
    public void unlink(DeviceRow row) {
        if (row.thisDevice()) {
            devicesProblem.set("This is the device you are using: unlink it from another device of the account.");
            return;
        }
        int thisDevice = session.messenger().account().deviceId();
        devicesProblem.set("");
        deviceListVersion.set("Unlinking " + row.name() + "…");
        executors.run(() -> session.messenger().unlink(row.deviceId()),
                list -> showDevices(Optional.of(list), thisDevice), failure -> {
                    deviceListVersion.set("");
                    devicesProblem.set(row.name() + " was not unlinked: " + LinkProblems.describe(failure));
                });
    }

    // The passphrase

    public ReadOnlyObjectProperty<PassphraseStrength> strengthProperty() {
        return strength.getReadOnlyProperty();
    }

    /** A change is running: the form waits. */
    public ReadOnlyBooleanProperty changingProperty() {
        return changing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty passphraseProblemProperty() {
        return passphraseProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty passphraseStatusProperty() {
        return passphraseStatus.getReadOnlyProperty();
    }

    /** The new passphrase field changed; the array is the caller's and is not kept. */
    public void newPassphraseChanged(char[] next) {
        strength.set(PassphraseStrength.of(next));
    }

    /**
     * Rewraps the profile's key under {@code next} when {@code current} opens it: nothing else
     * changes, and a wrong current passphrase changes nothing. Takes the three arrays and clears them.
     */
    public void changePassphrase(char[] current, char[] next, char[] repeat) {
        passphraseStatus.set("");
        PassphraseStrength measured = PassphraseStrength.of(next);
        String refused = current.length == 0 ? "Type your current passphrase first."
                : next.length == 0 ? "Type a new passphrase, twice."
                : !Arrays.equals(next, repeat) ? "The new passphrase and its repetition differ. Type them again."
                : !measured.acceptable() ? "The new passphrase is too easy to guess: " + measured.advice()
                : null;
        Arrays.fill(repeat, '\0');
        if (refused != null || changing.get()) {
            Arrays.fill(current, '\0');
            Arrays.fill(next, '\0');
            passphraseProblem.set(refused == null ? "A change is already running." : refused);
            return;
        }
        passphraseProblem.set("");
        changing.set(true);
        passphraseStatus.set("Changing the passphrase…");
        executors.run(() -> {
            try {
                session.store().changePassphrase(current, next, kdf);
                return null;
            } finally {
                Arrays.fill(current, '\0');
                Arrays.fill(next, '\0');
            }
        }, done -> {
            changing.set(false);
            strength.set(PassphraseStrength.EMPTY);
            passphraseStatus.set("Passphrase changed. From now on it is the new one that unlocks Vouch; the old one"
                    + " no longer does.");
        }, failure -> {
            changing.set(false);
            passphraseStatus.set("");
            passphraseProblem.set(failure instanceof WrongPassphraseException
                    ? "That is not your current passphrase. Nothing was changed: the current one still unlocks Vouch."
                    : "Nothing was changed: " + Problems.describe(failure));
        });
    }

    // Locking, the hold policy, looks

    /** The auto-lock time; zero is never. Applied and remembered as soon as it is set. */
    public ObjectProperty<Duration> autoLockProperty() {
        return autoLock;
    }

    /** Whether a new device of a verified contact holds my messages until I review it (else it is only announced). */
    public BooleanProperty holdNewDevicesProperty() {
        return holdNewDevices;
    }

    /** The profile's policy has been read; until then the choice cannot be changed. */
    public ReadOnlyBooleanProperty holdPolicyKnownProperty() {
        return holdPolicyKnown.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty holdProblemProperty() {
        return holdProblem.getReadOnlyProperty();
    }

    public ObjectProperty<ThemeChoice> themeProperty() {
        return theme;
    }

    public BooleanProperty notificationsProperty() {
        return notifications;
    }

    public ObjectProperty<NotificationContent> notificationContentProperty() {
        return notificationContent;
    }

    /** The export and import window's model, for this profile. */
    public ArchiveViewModel archive() {
        return new ArchiveViewModel(session.store(), executors, kdf, clock);
    }

    /** The words for an auto-lock time. */
    public static String describe(Duration autoLock) {
        if (autoLock.isZero()) {
            return "Never";
        }
        long minutes = autoLock.toMinutes();
        return minutes == 1 ? "After 1 minute" : minutes % 60 == 0 && minutes >= 60
                ? "After " + (minutes / 60) + (minutes == 60 ? " hour" : " hours") : "After " + minutes + " minutes";
    }
}
