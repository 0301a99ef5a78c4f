package dev.vouch.ui.onboarding;

import dev.vouch.relay.api.Handles;
import dev.vouch.relay.api.InvalidInviteException;
import dev.vouch.relay.api.Invite;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.shell.DesktopConfig;
import java.util.Arrays;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The first run: a passphrase (with its strength, and the plain fact that nobody can recover it),
 * a handle, and a relay: an invite link pasted from whoever runs one, or a relay started on this
 * computer. Creates the encrypted profile and registers the account, in the background.
 */
public final class OnboardingViewModel {
    public static final String NO_RECOVERY = "Nobody can recover this passphrase: not the relay, not the makers"
            + " of Vouch. If you forget it, the messages on this computer cannot be opened again.";

    private final DesktopConfig config;
    private final UiExecutors executors;
    private final Consumer<ProfileStore> created;
    private final StringProperty handle = new SimpleStringProperty("");
    private final StringProperty invite = new SimpleStringProperty("");
    private final ObjectProperty<PassphraseStrength> strength = new SimpleObjectProperty<>(PassphraseStrength.EMPTY);
    private final BooleanProperty passphrasesMatch = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty progress = new SimpleStringProperty("");
    private final StringProperty demoProgress = new SimpleStringProperty("");
    private final BooleanBinding readyForLocal;
    private final BooleanBinding readyForInvite;
    /** A profile created by an earlier attempt whose registration failed: the next attempt reuses it. */
    private ProfileStore pending;

    public OnboardingViewModel(DesktopConfig config, Consumer<ProfileStore> created) {
        this.config = config;
        this.executors = config.executors();
        this.created = created;
        readyForLocal = Bindings.createBooleanBinding(() -> !busy.get() && passphrasesMatch.get()
                && strength.get().acceptable() && Handles.normalize(handle.get()).isPresent(),
                busy, passphrasesMatch, strength, handle);
        readyForInvite = Bindings.createBooleanBinding(() -> readyForLocal.get() && !invite.get().isBlank(),
                readyForLocal, invite);
    }

    public StringProperty handleProperty() {
        return handle;
    }

    public StringProperty inviteProperty() {
        return invite;
    }

    public ReadOnlyObjectProperty<PassphraseStrength> strengthProperty() {
        return strength;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }

    /** Everything but the relay is filled in well enough to create the profile. */
    public BooleanBinding readyForLocalProperty() {
        return readyForLocal;
    }

    public BooleanBinding readyForInviteProperty() {
        return readyForInvite;
    }

    /** Why the handle is refused, or empty while it is fine (or not typed yet). */
    public String handleHint() {
        String text = handle.get();
        return text.isEmpty() || Handles.normalize(text).isPresent() ? "" : "A handle is " + Handles.RULE.substring(12) + ".";
    }

    /** The passphrase fields changed; the arrays are the caller's and are not kept. */
    public void passphraseChanged(char[] passphrase, char[] repeat) {
        passphrasesMatch.set(passphrase.length > 0 && Arrays.equals(passphrase, repeat));
        strength.set(PassphraseStrength.of(passphrase));
    }

    /**
     * A profile created on this first run by another way (the link screen, left with Back): creating
     * registers it rather than a second one, under the passphrase it was created with.
     */
    public void reuse(ProfileStore created) {
        if (pending == null) {
            pending = created;
        }
    }

    /** Creates the profile with the pasted invite. Takes ownership of {@code passphrase} and clears it. */
    public void createWithInvite(char[] passphrase) {
        Invite parsed;
        try {
            parsed = Invite.parse(invite.get().trim(), config.clock().instant());
        } catch (InvalidInviteException e) {
            Arrays.fill(passphrase, '\0');
            problem.set("That invite link does not work: " + e.getMessage() + ". Ask the person who runs the relay"
                    + " for a new one, and paste all of it (it starts with vouch://relay).");
            return;
        }
        create(passphrase, false, parsed);
    }

    /** Creates the profile with a relay started on this computer. Clears {@code passphrase}. */
    public void createWithLocalRelay(char[] passphrase) {
        create(passphrase, true, null);
    }

    private void create(char[] passphrase, boolean local, Invite given) {
        if (!(local ? readyForLocal.get() : readyForInvite.get())) {
            Arrays.fill(passphrase, '\0');
            problem.set("Fill in a strong passphrase (twice, the same) and a valid handle first.");
            return;
        }
        String chosen = Handles.normalize(handle.get()).orElseThrow();
        busy.set(true);
        problem.set("");
        progress.set(local ? "Starting a relay on this computer and creating your keys…" : "Creating your keys…");
        ProfileStore reuse = pending;
        LocalRelays relays = config.localRelays();
        executors.run(() -> {
            ProfileStore store = reuse;
            try {
                if (store == null) {
                    store = ProfileStore.create(config.profile(), passphrase, config.kdf(), config.clock());
                }
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            try {
                Invite relay = local ? relays.running().isPresent() ? relays.running().get()
                        : relays.start(config.profile()) : given;
                Messenger.initialize(store, chosen, relay, config.messenger());
                return new Attempt(store, null);
            } catch (Exception e) {
                return new Attempt(store, e);
            }
        }, attempt -> {
            busy.set(false);
            if (attempt.failure() == null) {
                pending = null;
                progress.set("");
                created.accept(attempt.store());
            } else {
                pending = attempt.store();
                progress.set("");
                problem.set("Your profile is created but not registered yet: " + Problems.describe(attempt.failure())
                        + " Check the relay and try again.");
            }
        }, failure -> {
            busy.set(false);
            progress.set("");
            problem.set(Problems.describe(failure));
        });
    }

    /**
     * "See a demo": sets up the demo (a relay and two talking profiles, in a temporary folder) in
     * the background and hands it to {@code opened}; this screen stays as it was.
     */
    public void seeDemo(Consumer<Demo> opened) {
        busy.set(true);
        demoProgress.set("Starting the demo: a relay and two profiles, Alice and Bob, on this computer…");
        executors.run(config.demos()::prepare, demo -> {
            busy.set(false);
            demoProgress.set("");
            opened.accept(demo);
        }, failure -> {
            busy.set(false);
            demoProgress.set("The demo could not start: " + Problems.describe(failure));
        });
    }

    /** What "See a demo" is doing, or why it failed; empty otherwise. */
    public ReadOnlyStringProperty demoProgressProperty() {
        return demoProgress;
    }

    private record Attempt(ProfileStore store, Exception failure) {
    }
}
