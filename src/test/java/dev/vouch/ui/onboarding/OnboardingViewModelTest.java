package dev.vouch.ui.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.LocalDemo;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.shell.DesktopConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first run's rules and work, with a synchronous executor: every result is there when the call returns. */
class OnboardingViewModelTest {
    static final String STRONG = "violet harbour tractor quietly 71";

    @TempDir
    Path dir;

    private final List<ProfileStore> created = new ArrayList<>();

    @AfterEach
    void close() {
        created.forEach(ProfileStore::close);
    }

    private OnboardingViewModel viewModel(Path profile) {
        DesktopConfig config = new DesktopConfig(profile, Desktops.FAST_KDF, Duration.ZERO, Clock.systemUTC(),
                dev.vouch.service.Messenger.Options.defaults(), LocalRelays.NONE, UiExecutors.synchronous(),
                owner -> Optional.empty());
        return new OnboardingViewModel(config, created::add);
    }

    @Test
    void aDemoThatCannotStartIsExplainedAndChangesNothing() {
        OnboardingViewModel vm = viewModel(dir.resolve("p")); // Demos.NONE: this setup has no demo
        List<Demo> opened = new ArrayList<>();
        vm.seeDemo(opened::add);
        assertThat(opened).isEmpty();
        assertThat(vm.demoProgressProperty().get()).startsWith("The demo could not start: ")
                .contains("cannot start the demo");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.problemProperty().get()).as("the profile form is untouched").isEmpty();
        assertThat(ProfileStore.exists(dir.resolve("p"))).isFalse();
    }

    @Test
    void aDemoIsPreparedTalkingAndItsFolderGoesWhenItCloses() throws Exception {
        DesktopConfig config = new DesktopConfig(dir.resolve("p"), Desktops.FAST_KDF, Duration.ZERO, Clock.systemUTC(),
                dev.vouch.service.Messenger.Options.defaults(), LocalRelays.NONE, UiExecutors.synchronous(),
                owner -> Optional.empty()).withDemos(new LocalDemo(Clock.systemUTC(), Desktops.FAST_KDF,
                dev.vouch.service.Messenger.Options.defaults()));
        List<Demo> opened = new ArrayList<>();
        new OnboardingViewModel(config, created::add).seeDemo(opened::add);
        assertThat(opened).hasSize(1);
        Demo demo = opened.get(0);
        try {
            assertThat(demo.alice().isLocked()).isFalse();
            assertThat(demo.alice().contacts().find(Demo.BOB)).isPresent();
            assertThat(demo.bob().contacts().find(Demo.ALICE)).isPresent();
            long conversation = demo.bob().conversations().find(Demo.ALICE).orElseThrow();
            assertThat(demo.bob().messages().newest(conversation, 10)).hasSize(LocalDemo.CONVERSATION.size());
            assertThat(ProfileStore.exists(dir.resolve("p"))).isFalse();
        } finally {
            demo.alice().close();
            demo.bob().close();
            demo.close();
        }
        assertThat(demo.folder()).doesNotExist();
    }

    private static void passphrase(OnboardingViewModel vm, String first, String second) {
        vm.passphraseChanged(first.toCharArray(), second.toCharArray());
    }

    @Test
    void asksForAStrongPassphraseTypedTwiceAndAValidHandle() {
        OnboardingViewModel vm = viewModel(dir.resolve("p"));
        vm.inviteProperty().set("vouch://relay?anything");
        passphrase(vm, "password123", "password123");
        vm.handleProperty().set("alice");
        assertThat(vm.strengthProperty().get().acceptable()).isFalse();
        assertThat(vm.strengthProperty().get().advice()).isNotBlank();
        assertThat(vm.readyForInviteProperty().get()).isFalse();

        passphrase(vm, STRONG, STRONG + " ");
        assertThat(vm.strengthProperty().get().acceptable()).isTrue();
        assertThat(vm.readyForLocalProperty().get()).as("the two entries differ").isFalse();

        passphrase(vm, STRONG, STRONG);
        vm.handleProperty().set("-alice");
        assertThat(vm.readyForLocalProperty().get()).isFalse();
        assertThat(vm.handleHint()).contains("starts with a letter");

        vm.handleProperty().set("Alice");
        assertThat(vm.handleHint()).isEmpty();
        assertThat(vm.readyForLocalProperty().get()).isTrue();
        assertThat(vm.readyForInviteProperty().get()).isTrue();
        vm.inviteProperty().set("  ");
        assertThat(vm.readyForInviteProperty().get()).as("no invite pasted").isFalse();
        assertThat(vm.readyForLocalProperty().get()).isTrue();
    }

    @Test
    void measuringTheStrengthLeavesThePassphraseArrayAsItWas() {
        char[] typed = STRONG.toCharArray();
        PassphraseStrength.of(typed);
        assertThat(new String(typed)).isEqualTo(STRONG);
    }

    @Test
    void aBadInviteCreatesNothingAndThePassphraseIsCleared() {
        Path profile = dir.resolve("p");
        OnboardingViewModel vm = viewModel(profile);
        passphrase(vm, STRONG, STRONG);
        vm.handleProperty().set("alice");
        vm.inviteProperty().set("vouch://relay?v=1&host=127.0.0.1");
        char[] given = STRONG.toCharArray();
        vm.createWithInvite(given);
        assertThat(vm.problemProperty().get()).contains("invite link does not work");
        assertThat(ProfileStore.exists(profile)).isFalse();
        assertThat(new String(given)).isEqualTo("\0".repeat(STRONG.length()));
        assertThat(created).isEmpty();
    }

    @Test
    void createsARegisteredProfileAndClearsThePassphrase() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            Path profile = dir.resolve("p");
            OnboardingViewModel vm = viewModel(profile);
            passphrase(vm, STRONG, STRONG);
            vm.handleProperty().set("Alice");
            vm.inviteProperty().set(" " + relay.invite().link() + " ");
            char[] given = STRONG.toCharArray();
            vm.createWithInvite(given);
            assertThat(vm.problemProperty().get()).isEmpty();
            assertThat(created).singleElement().satisfies(store -> {
                assertThat(store.isLocked()).isFalse();
                assertThat(store.accounts().load().orElseThrow().handle()).isEqualTo("alice");
            });
            assertThat(new String(given)).isEqualTo("\0".repeat(STRONG.length()));
            assertThat(vm.busyProperty().get()).isFalse();
        }
    }

    @Test
    void aRelayThatCannotBeReachedLeavesTheProfileCreatedAndSaysWhatToDo() throws Exception {
        String link;
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT)) {
            link = relay.invite().link();
        }
        Path profile = dir.resolve("p");
        OnboardingViewModel vm = viewModel(profile);
        passphrase(vm, STRONG, STRONG);
        vm.handleProperty().set("alice");
        vm.inviteProperty().set(link);
        vm.createWithInvite(STRONG.toCharArray());
        assertThat(vm.problemProperty().get()).contains("created but not registered").contains("try again");
        assertThat(ProfileStore.exists(profile)).as("the encrypted profile is kept for the retry").isTrue();
        assertThat(created).isEmpty();
        assertThat(vm.busyProperty().get()).isFalse();
    }
}
