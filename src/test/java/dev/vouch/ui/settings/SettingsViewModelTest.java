package dev.vouch.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.WrongPassphraseException;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.ThemeChoice;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.common.UiSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings' model with a synchronous executor, on a real profile registered with a real relay. */
class SettingsViewModelTest {
    static final String PASSPHRASE = "harbour violet copper thirty 6";
    static final String NEW_PASSPHRASE = "meadow saffron kettle ninety 3";

    @TempDir
    Path dir;

    private LocalRelay relay;
    private Path profile;
    private ProfileStore store;
    private Session session;
    private final List<Duration> autoLocks = new ArrayList<>();
    private final List<ThemeChoice> themes = new ArrayList<>();

    @BeforeEach
    void registered() throws Exception {
        relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
        profile = dir.resolve("ada");
        Desktops.registered(profile, "ada", PASSPHRASE, relay.invite());
        openSession();
    }

    private void openSession() throws Exception {
        store = ProfileStore.open(profile, Clock.systemUTC());
        store.unlock(PASSPHRASE.toCharArray());
        session = Session.open(store, Messenger.Options.defaults());
    }

    @AfterEach
    void close() {
        session.close();
        store.close();
        relay.close();
    }

    private SettingsViewModel model() {
        SettingsViewModel vm = new SettingsViewModel(session, UiSettings.load(profile), Duration.ofMinutes(10),
                UiExecutors.synchronous(), Desktops.FAST_KDF, Clock.systemUTC(), new SettingsViewModel.Effects() {
                    @Override
                    public void autoLock(Duration timeout) {
                        autoLocks.add(timeout);
                    }

                    @Override
                    public void theme(ThemeChoice choice) {
                        themes.add(choice);
                    }
                });
        vm.load();
        return vm;
    }

    @Test
    void showsTheRelayAndItsPinsAsInTheInvite() {
        SettingsViewModel vm = model();
        assertThat(vm.relayAddress()).isEqualTo("127.0.0.1:" + relay.invite().port());
        assertThat(vm.relayPin()).isEqualTo(relay.invite().pinText()).isNotEmpty();
        assertThat(vm.logKey()).isEqualTo(relay.invite().logKeyText().orElseThrow());
        assertThat(vm.pinsText()).contains(vm.relayAddress(), vm.relayPin(), vm.logKey());
        assertThat(SettingsViewModel.HOW_TO_CHECK).contains("vouch relay").contains("operator");
    }

    @Test
    void unlinkingThisDeviceIsRefusedAndTheWarningSaysWhatUnlinkingDoes() throws Exception {
        SettingsViewModel vm = model();
        DeviceRow self = vm.devices().get(0);
        assertThat(self.thisDevice()).isTrue();
        long version = session.messenger().ownDevices().orElseThrow().version();
        vm.unlink(self);
        assertThat(vm.devicesProblemProperty().get()).contains("the device you are using");
        assertThat(vm.devices()).containsExactly(self);
        assertThat(session.messenger().ownDevices().orElseThrow().version()).isEqualTo(version);

        DeviceRow other = new DeviceRow(7, "old phone", "ab cd", Instant.now(), false);
        vm.unlink(other); // not in the list (and offline): refused, nothing published
        assertThat(vm.devicesProblemProperty().get()).startsWith("old phone was not unlinked:");
        assertThat(session.messenger().ownDevices().orElseThrow().version()).isEqualTo(version);
        assertThat(SettingsViewModel.unlinkWarning(other)).contains("old phone").contains("at once")
                .contains("account key");
    }

    @Test
    void listsThisAccountsSignedDevicesWithThisOneMarked() throws Exception {
        SettingsViewModel vm = model();
        assertThat(vm.devicesProblemProperty().get()).isEmpty();
        assertThat(vm.devices()).singleElement().satisfies(d -> {
            assertThat(d.thisDevice()).isTrue();
            assertThat(d.deviceId()).isEqualTo(session.messenger().account().deviceId());
            assertThat(d.fingerprint()).isEqualTo(KeyFingerprint.of(
                    session.messenger().account().deviceIdentity().publicKey().serialize()));
            assertThat(d.addedAt()).isBeforeOrEqualTo(Instant.now());
        });
        assertThat(vm.deviceListVersionProperty().get()).contains("list version 1");
    }

    @Test
    void theHoldPolicyIsStoredInTheProfileAndSurvivesReopening() throws Exception {
        SettingsViewModel vm = model();
        assertThat(vm.holdPolicyKnownProperty().get()).isTrue();
        assertThat(vm.holdNewDevicesProperty().get()).as("announce only by default").isFalse();
        vm.holdNewDevicesProperty().set(true);
        assertThat(session.messenger().keys().holdsNewDevices()).isTrue();

        session.close();
        store.close();
        openSession();
        assertThat(model().holdNewDevicesProperty().get()).isTrue();
        model().holdNewDevicesProperty().set(false);
        assertThat(session.messenger().keys().holdsNewDevices()).isFalse();
    }

    @Test
    void autoLockThemeAndNotificationChoicesApplyAtOnceAndAreRemembered() {
        SettingsViewModel vm = model();
        assertThat(vm.autoLockProperty().get()).isEqualTo(Duration.ofMinutes(10));
        assertThat(vm.notificationContentProperty().get()).as("private by default")
                .isEqualTo(NotificationContent.SENDER_ONLY);
        assertThat(vm.notificationsProperty().get()).isTrue();

        vm.autoLockProperty().set(Duration.ofMinutes(15));
        vm.autoLockProperty().set(Duration.ZERO);
        vm.themeProperty().set(ThemeChoice.DARK);
        vm.themeProperty().set(ThemeChoice.SYSTEM);
        vm.notificationContentProperty().set(NotificationContent.NOTHING);
        vm.notificationsProperty().set(false);

        assertThat(autoLocks).containsExactly(Duration.ofMinutes(15), Duration.ZERO);
        assertThat(themes).containsExactly(ThemeChoice.DARK, ThemeChoice.SYSTEM);
        UiSettings saved = UiSettings.load(profile);
        assertThat(saved.autoLock()).contains(Duration.ZERO);
        assertThat(saved.themeChoice()).isEqualTo(ThemeChoice.SYSTEM);
        assertThat(saved.notificationContent()).isEqualTo(NotificationContent.NOTHING);
        assertThat(saved.notifications()).isFalse();
        assertThat(SettingsViewModel.describe(Duration.ZERO)).isEqualTo("Never");
        assertThat(SettingsViewModel.describe(Duration.ofMinutes(60))).isEqualTo("After 1 hour");
    }

    @Test
    void refusesBadNewPassphrasesAndAWrongCurrentOneChangingNothing() throws Exception {
        SettingsViewModel vm = model();
        char[] current = PASSPHRASE.toCharArray();
        char[] next = NEW_PASSPHRASE.toCharArray();
        char[] other = (NEW_PASSPHRASE + "x").toCharArray();
        vm.changePassphrase(current, next, other);
        assertThat(vm.passphraseProblemProperty().get()).contains("differ");
        assertThat(new String(current) + new String(next) + new String(other)).as("every array is cleared")
                .matches("\0+");

        vm.changePassphrase(PASSPHRASE.toCharArray(), "password1".toCharArray(), "password1".toCharArray());
        assertThat(vm.passphraseProblemProperty().get()).contains("too easy to guess");
        vm.changePassphrase(new char[0], NEW_PASSPHRASE.toCharArray(), NEW_PASSPHRASE.toCharArray());
        assertThat(vm.passphraseProblemProperty().get()).contains("current passphrase first");

        vm.changePassphrase("harbour violet copper thirty 7".toCharArray(), NEW_PASSPHRASE.toCharArray(),
                NEW_PASSPHRASE.toCharArray());
        assertThat(vm.passphraseProblemProperty().get()).contains("not your current passphrase")
                .contains("Nothing was changed");
        assertThat(vm.changingProperty().get()).isFalse();
        assertThat(store.isLocked()).as("the open profile stays open").isFalse();

        session.close();
        store.close();
        openSession(); // the old passphrase still opens it
        assertThat(store.isLocked()).isFalse();
    }

    @Test
    void changesThePassphraseSoOnlyTheNewOneOpensTheProfile() throws Exception {
        SettingsViewModel vm = model();
        vm.newPassphraseChanged(NEW_PASSPHRASE.toCharArray());
        assertThat(vm.strengthProperty().get().acceptable()).isTrue();
        vm.changePassphrase(PASSPHRASE.toCharArray(), NEW_PASSPHRASE.toCharArray(), NEW_PASSPHRASE.toCharArray());
        assertThat(vm.passphraseProblemProperty().get()).isEmpty();
        assertThat(vm.passphraseStatusProperty().get()).contains("Passphrase changed");

        store.lock();
        assertThatThrownBy(() -> store.unlock(PASSPHRASE.toCharArray())).isInstanceOf(WrongPassphraseException.class);
        store.unlock(NEW_PASSPHRASE.toCharArray());
        assertThat(store.accounts().load()).hasValueSatisfying(a -> assertThat(a.handle()).isEqualTo("ada"));
    }
}
