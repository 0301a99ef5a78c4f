package dev.vouch.ui.onboarding;

import dev.vouch.qr.LinkCode;
import dev.vouch.qr.QrCodes;
import dev.vouch.relay.api.InvalidInviteException;
import dev.vouch.relay.api.Invite;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.LinkRefusedException;
import dev.vouch.service.Messenger;
import dev.vouch.service.PendingLink;
import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.LinkProblems;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.shell.DesktopConfig;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The first run of a device joining an account this person already uses (docs/devices.md,
 * "Linking"): a passphrase for this computer's profile (the same rules as a new profile), the
 * relay invite and a name for the device; then the one-time link code, as a QR code and as text,
 * until another device of the account accepts it or it expires. The wait runs in the background in
 * short rounds, so Cancel takes effect within one round and no worker is held for ten minutes.
 */
public final class LinkViewModel {
    /** Where the screen is. */
    public enum Step { FORM, WAITING, EXPIRED, FAILED }

    /** How long one background round waits for the other device before the next round. */
    static final Duration ROUND = Duration.ofSeconds(3);
    static final int QR_MODULE_PIXELS = 5;

    private final DesktopConfig config;
    private final UiExecutors executors;
    private final Consumer<ProfileStore> linked;
    private final StringProperty invite = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<PassphraseStrength> strength = new ReadOnlyObjectWrapper<>(PassphraseStrength.EMPTY);
    private final BooleanProperty passphrasesMatch = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Step> step = new ReadOnlyObjectWrapper<>(Step.FORM);
    private final ReadOnlyStringWrapper codeText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<BufferedImage> qr = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper fingerprint = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper countdown = new ReadOnlyStringWrapper("");
    private final BooleanBinding ready;
    /** The profile this screen created: kept for a new code, or handed to the create path after Cancel. */
    private ProfileStore store;
    private Invite relay;
    private Instant expiresAt;
    /** Counts codes shown and cancels: a round of an older code ends quietly. */
    private int generation;

    public LinkViewModel(DesktopConfig config, Consumer<ProfileStore> linked) {
        this.config = config;
        this.executors = config.executors();
        this.linked = linked;
        ready = Bindings.createBooleanBinding(() -> !busy.get() && (store != null || passphrasesMatch.get()
                && strength.get().acceptable()) && !invite.get().isBlank() && !name.get().isBlank(),
                busy, passphrasesMatch, strength, invite, name);
        // the computer's name may take a name lookup: asked in the background, kept unless one was typed
        executors.run(LinkViewModel::defaultName, found -> {
            if (name.get().isEmpty()) {
                name.set(found);
            }
        }, failure -> {
            if (name.get().isEmpty()) {
                name.set("My computer");
            }
        });
    }

    /** A name for this device that its owner recognises in the list: the computer's name where it is known. */
    static String defaultName() {
        String host = Optional.ofNullable(System.getenv("COMPUTERNAME")).or(() -> Optional.ofNullable(
                System.getenv("HOSTNAME"))).orElse("").strip();
        if (host.isEmpty()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "";
            }
        }
        host = host.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return host.isBlank() || host.getBytes(StandardCharsets.UTF_8).length > 40 ? "My computer" : host;
    }

    public StringProperty inviteProperty() {
        return invite;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public ReadOnlyObjectProperty<PassphraseStrength> strengthProperty() {
        return strength.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Step> stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** The link code as text (VOUCHLINK1:...), to copy and paste on the other device. */
    public ReadOnlyStringProperty codeTextProperty() {
        return codeText.getReadOnlyProperty();
    }

    /** The link code as a QR code (ZXing's image; the view turns it into pixels). */
    public ReadOnlyObjectProperty<BufferedImage> qrProperty() {
        return qr.getReadOnlyProperty();
    }

    /** This device's key fingerprint, which the other device shows for comparison before it links. */
    public ReadOnlyStringProperty fingerprintProperty() {
        return fingerprint.getReadOnlyProperty();
    }

    /** How long the code still works, in words; refreshed by {@link #tick()}. */
    public ReadOnlyStringProperty countdownProperty() {
        return countdown.getReadOnlyProperty();
    }

    /** The form is filled in well enough to show a code. */
    public BooleanBinding readyProperty() {
        return ready;
    }

    /** The profile created here, if any: the create path reuses it after Cancel instead of making another. */
    public Optional<ProfileStore> store() {
        return Optional.ofNullable(store);
    }

    /** The passphrase fields changed; the arrays are the caller's and are not kept. */
    public void passphraseChanged(char[] passphrase, char[] repeat) {
        passphrasesMatch.set(passphrase.length > 0 && Arrays.equals(passphrase, repeat));
        strength.set(PassphraseStrength.of(passphrase));
    }

    /**
     * Creates this computer's profile (once) and shows a link code for it. Takes ownership of
     * {@code passphrase} and clears it; it is not needed again once the profile exists.
     */
    public void showCode(char[] passphrase) {
        Invite parsed;
        try {
            parsed = Invite.parse(invite.get().trim(), config.clock().instant());
        } catch (InvalidInviteException e) {
            Arrays.fill(passphrase, '\0');
            problem.set("That invite link does not work: " + e.getMessage() + ". Paste the invite of the relay your"
                    + " account uses, all of it (it starts with vouch://relay). Nothing was created.");
            return;
        }
        if (!ready.get()) {
            Arrays.fill(passphrase, '\0');
            problem.set("Fill in a strong passphrase (twice, the same), the invite and a name for this device first.");
            return;
        }
        relay = parsed;
        request(passphrase);
    }

    /** After an expiry, a refusal or Cancel: a fresh code for the same profile. */
    public void showNewCode() {
        if (store == null || relay == null || busy.get()) {
            return;
        }
        request(new char[0]);
    }

    private void request(char[] passphrase) {
        String chosen = name.get().strip();
        ProfileStore existing = store;
        Invite target = relay;
        int round = ++generation;
        busy.set(true);
        problem.set("");
        progress.set(existing == null ? "Creating this computer's keys…" : "Making a new code…");
        executors.run(() -> {
            ProfileStore opened = existing;
            try {
                if (opened == null) {
                    opened = ProfileStore.create(config.profile(), passphrase, config.kdf(), config.clock());
                }
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            try {
                PendingLink pending = Messenger.requestLink(opened, target, chosen, config.messenger());
                return new Shown(opened, pending, QrCodes.encode(pending.code().encode(), QR_MODULE_PIXELS), null);
            } catch (IllegalArgumentException e) {
                return new Shown(opened, null, null, new IllegalArgumentException("That device name cannot be used: "
                        + e.getMessage() + ". Choose a shorter one."));
            } catch (Exception e) {
                return new Shown(opened, null, null, e);
            }
        }, shown -> {
            busy.set(false);
            progress.set("");
            store = shown.store();
            ready.invalidate();
            if (shown.failure() != null) {
                step.set(Step.FORM);
                problem.set(shown.failure() instanceof IllegalArgumentException ? shown.failure().getMessage()
                        : LinkProblems.describe(shown.failure()));
                return;
            }
            LinkCode code = shown.pending().code();
            expiresAt = code.expiresAt();
            codeText.set(code.encode());
            qr.set(shown.qr());
            fingerprint.set(KeyFingerprint.of(code.deviceKey()));
            step.set(Step.WAITING);
            tick();
            await(shown.pending(), round);
        }, failure -> {
            busy.set(false);
            progress.set("");
            problem.set(LinkProblems.describe(failure));
        });
    }

    /** One round of waiting for the other device; the next follows until the code is taken, expires or is cancelled. */
    private void await(PendingLink pending, int round) {
        executors.run(() -> pending.await(Optional.empty(), ROUND), account -> {
            // Linked, even if Cancel was pressed meanwhile: the account is set up in this profile now.
            generation++;
            step.set(Step.WAITING);
            countdown.set("");
            linked.accept(store);
        }, failure -> {
            if (round != generation) {
                return;
            }
            boolean timedOut = failure instanceof LinkRefusedException refused
                    && refused.reason() == LinkRefusedException.Reason.TIMED_OUT;
            if (timedOut && config.clock().instant().isBefore(expiresAt)) {
                await(pending, round);
                return;
            }
            clearCode();
            if (timedOut) {
                step.set(Step.EXPIRED);
                problem.set("This code expired before another device of your account accepted it. Nothing was set"
                        + " up. Show a new code, and take it on your other device within 10 minutes.");
            } else {
                step.set(Step.FAILED);
                problem.set(LinkProblems.describe(failure));
            }
        });
    }

    /** Refreshes {@link #countdownProperty()}; the view calls it every second while a code shows. */
    public void tick() {
        if (step.get() != Step.WAITING || expiresAt == null) {
            return;
        }
        long seconds = Math.max(0, Duration.between(config.clock().instant(), expiresAt).toSeconds());
        countdown.set(seconds == 0 ? "This code has expired." : String.format(java.util.Locale.ROOT,
                "This code works for %d:%02d more, once.", seconds / 60, seconds % 60));
    }

    /** Stops waiting and goes back to the form; the profile stays for the next code. */
    public void cancel() {
        generation++;
        clearCode();
        problem.set("");
        step.set(Step.FORM);
    }

    private void clearCode() {
        codeText.set("");
        qr.set(null);
        countdown.set("");
        expiresAt = null;
    }

    private record Shown(ProfileStore store, PendingLink pending, BufferedImage qr, Exception failure) {
    }
}
