package dev.vouch.ui.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.LocalDemo;
import dev.vouch.service.Messenger;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.time.Clock;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The panel's model on a real demo (relay, profiles, sessions), with a synchronous executor: what it
 * says when it cannot act, and when a check fires before the step expects it.
 */
class DemoViewModelTest {
    private Demo demo;
    private final SimpleObjectProperty<Session> alice = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<Session> bob = new SimpleObjectProperty<>();
    private DemoViewModel viewModel;

    @BeforeEach
    void start() throws Exception {
        Messenger.Options options = Messenger.Options.defaults();
        demo = new LocalDemo(Clock.systemUTC(), Desktops.FAST_KDF, options).prepare();
        viewModel = new DemoViewModel(demo, alice, bob, UiExecutors.synchronous());
    }

    @AfterEach
    void stop() {
        for (Session s : new Session[] {alice.get(), bob.get()}) {
            if (s != null) {
                s.close();
            }
        }
        demo.alice().close();
        demo.bob().close();
        demo.close();
    }

    private void connect() throws Exception {
        alice.set(Session.open(demo.alice(), Messenger.Options.defaults()));
        bob.set(Session.open(demo.bob(), Messenger.Options.defaults()));
        alice.get().messenger().connect();
        bob.get().messenger().connect();
    }

    @Test
    void aLockedWindowIsSaidAndTheRelayLeftAlone() throws Exception {
        viewModel.substituteKey();
        assertThat(viewModel.problemProperty().get()).startsWith("Unlock both windows first");
        assertThat(viewModel.statusProperty().get()).isEqualTo(DemoViewModel.READY);
        assertThat(viewModel.busyProperty().get()).isFalse();

        // the relay was not switched: a lookup is answered honestly
        connect();
        var bobAtAlice = alice.get().messenger().keys().find(Demo.BOB).orElseThrow();
        alice.get().messenger().refreshKeys(bobAtAlice);
        assertThat(alice.get().messenger().transparency().alerts()).isEmpty();
    }

    @Test
    void eachStepSaysWhatTheRelayDidAndASecondSplitViewIsCaughtByBobsAppAtOnce() throws Exception {
        connect();
        viewModel.substituteKey();
        assertThat(viewModel.statusProperty().get()).isEqualTo(DemoViewModel.SUBSTITUTED);
        assertThat(viewModel.problemProperty().get()).isEmpty();
        viewModel.behave();
        assertThat(viewModel.statusProperty().get()).isEqualTo(DemoViewModel.HONEST);
        assertThat(viewModel.problemProperty().get()).isEmpty();
        viewModel.injectDevice();
        assertThat(viewModel.statusProperty().get()).isEqualTo(DemoViewModel.INJECTED);
        assertThat(viewModel.problemProperty().get()).isEmpty();
        viewModel.splitView();
        assertThat(viewModel.statusProperty().get()).isEqualTo(DemoViewModel.SPLIT);
        assertThat(viewModel.problemProperty().get()).isEmpty();

        // Bob's app keeps the fork it was shown: a second split (another fork) fails his own check first
        viewModel.splitView();
        assertThat(viewModel.problemProperty().get()).startsWith("A check fired earlier than this step expects")
                .contains("start a new demo");
        assertThat(bob.get().messenger().transparency().alerts()).isNotEmpty();
    }
}
