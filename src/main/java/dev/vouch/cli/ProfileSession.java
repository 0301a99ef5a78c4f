package dev.vouch.cli;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.ReviewReminders;
import dev.vouch.service.ServiceException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/** An unlocked profile and its messaging engine for the length of one command. */
final class ProfileSession implements AutoCloseable {
    final ProfileStore store;
    final Messenger messenger;

    private ProfileSession(ProfileStore store, Messenger messenger) {
        this.store = store;
        this.messenger = messenger;
    }

    /** Opens and unlocks the profile chosen on the command line; connects to the relay when asked. */
    static ProfileSession open(VouchCommand root, boolean connect, MessengerListener listener)
            throws StoreException, ServiceException, PassphraseException {
        ProfileStore store = unlocked(root);
        try {
            Messenger messenger = Messenger.open(store, Messenger.Options.defaults(), listener);
            ProfileSession session = new ProfileSession(store, messenger);
            if (connect) {
                try {
                    messenger.connect();
                } catch (ServiceException | StoreException | RuntimeException e) {
                    session.close();
                    throw e;
                }
            }
            return session;
        } catch (ServiceException | StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The chosen profile, unlocked; a missing one is a clear error. */
    static ProfileStore unlocked(VouchCommand root) throws StoreException, PassphraseException {
        Path dir = root.profileDirectory();
        ProfileStore store = ProfileStore.open(dir, Clock.systemUTC());
        char[] passphrase = null;
        try {
            passphrase = Passphrases.read(root.passphraseFile, System.getenv(), "Passphrase for " + dir, false);
            store.unlock(passphrase);
            return store;
        } catch (StoreException | PassphraseException | RuntimeException e) {
            store.close();
            throw e;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** Opens the profile, creating it (with a new passphrase) when the folder has none yet. */
    static ProfileStore openOrCreate(VouchCommand root) throws StoreException, PassphraseException {
        Path dir = root.profileDirectory();
        if (ProfileStore.exists(dir)) {
            return unlocked(root);
        }
        char[] passphrase = Passphrases.read(root.passphraseFile, System.getenv(), "New passphrase for " + dir, true);
        try {
            return ProfileStore.create(dir, passphrase, Argon2id.Params.RECOMMENDED, Clock.systemUTC());
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Connects to the relay if it can; otherwise says so on {@code err}, with what happens instead,
     * and lets the command go on offline. Returns whether it is connected.
     */
    boolean connectOrSay(java.io.PrintWriter err, String instead) throws StoreException, ServiceException {
        try {
            messenger.connect();
            return true;
        } catch (dev.vouch.service.RelayFailureException e) {
            err.println("vouch: relay not reachable (" + e.getMessage() + "); " + instead);
            return false;
        }
    }

    /**
     * Says on {@code err}, in one line, which "remind me later" reminders are due (docs/devices.md,
     * "Reminders"): messages stay held until those contacts' key changes are reviewed.
     */
    void noteDueReminders(java.io.PrintWriter err) throws StoreException {
        java.util.List<ReviewReminders.Due> due = messenger.reminders().due();
        if (!due.isEmpty()) {
            err.println("vouch: " + reminderNote(due));
        }
    }

    /** The words of a due-reminder note, as {@code vouch review} and the other commands show it. */
    static String reminderNote(java.util.List<ReviewReminders.Due> due) {
        return "reminder due: " + due.stream().map(d -> d.held() + " message(s) to " + d.handle()
                + " held until you review " + d.handle() + "'s new key (vouch review " + d.handle() + ")")
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        messenger.close();
        store.close();
    }
}
