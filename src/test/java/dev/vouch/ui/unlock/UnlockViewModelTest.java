package dev.vouch.ui.unlock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.ProfileStore;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.UiExecutors;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock screen's model on a real store, with a synchronous executor. */
class UnlockViewModelTest {
    static final String PASSPHRASE = "lantern orchard copper seventy 4";

    @TempDir
    Path dir;

    @Test
    void aWrongPassphraseIsCountedAndExplainedTheRightOneUnlocksAndBothArraysAreCleared() throws Exception {
        ProfileStore.create(dir, PASSPHRASE.toCharArray(), Desktops.FAST_KDF, Clock.systemUTC()).close();
        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            AtomicInteger unlocked = new AtomicInteger();
            UnlockViewModel vm = new UnlockViewModel(UiExecutors.synchronous(), () -> store, unlocked::incrementAndGet);

            char[] wrong = "lantern orchard copper seventy 5".toCharArray();
            vm.unlock(wrong);
            assertThat(vm.problemProperty().get()).contains("does not open this profile");
            assertThat(vm.failuresProperty().get()).isEqualTo(1);
            assertThat(store.isLocked()).isTrue();
            assertThat(unlocked).hasValue(0);
            assertThat(new String(wrong)).isEqualTo("\0".repeat(wrong.length));

            char[] right = PASSPHRASE.toCharArray();
            vm.unlock(right);
            assertThat(store.isLocked()).isFalse();
            assertThat(unlocked).hasValue(1);
            assertThat(vm.problemProperty().get()).isEmpty();
            assertThat(vm.failuresProperty().get()).isZero();
            assertThat(new String(right)).isEqualTo("\0".repeat(right.length));

            vm.unlock(new char[0]);
            assertThat(unlocked).as("an empty passphrase is not tried").hasValue(1);
        }
    }
}
