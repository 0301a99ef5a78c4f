package dev.vouch.ui.unlock;

import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.UiExecutors;
import java.util.Arrays;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The lock screen: the passphrase opens the store (Argon2id, in the background); a wrong one says so. */
public final class UnlockViewModel {
    private final UiExecutors executors;
    private final Supplier<ProfileStore> store;
    private final Runnable unlocked;
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty problem = new SimpleStringProperty("");
    private final SimpleIntegerProperty failures = new SimpleIntegerProperty(0);

    public UnlockViewModel(UiExecutors executors, Supplier<ProfileStore> store, Runnable unlocked) {
        this.executors = executors;
        this.store = store;
        this.unlocked = unlocked;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** Wrong passphrases since this screen showed. */
    public ReadOnlyIntegerProperty failuresProperty() {
        return failures;
    }

    /** Tries the passphrase; takes ownership of the array and clears it. */
    public void unlock(char[] passphrase) {
        ProfileStore target = store.get();
        if (passphrase.length == 0 || busy.get() || target == null) {
            Arrays.fill(passphrase, '\0');
            if (target == null) {
                problem.set("No profile is open.");
            }
            return;
        }
        busy.set(true);
        problem.set("");
        executors.run(() -> {
            try {
                target.unlock(passphrase);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            return null;
        }, ignored -> {
            busy.set(false);
            failures.set(0);
            unlocked.run();
        }, failure -> {
            busy.set(false);
            failures.set(failures.get() + 1);
            problem.set(Problems.describe(failure));
        });
    }

    /** A problem found before this screen could be used (the profile is open in another window, say). */
    public void show(String text) {
        problem.set(text);
    }
}
