package dev.vouch.ui.archive;

import dev.vouch.archive.CorruptArchiveException;
import dev.vouch.archive.NotAnArchiveException;
import dev.vouch.archive.UnsupportedArchiveVersionException;
import dev.vouch.archive.WrongArchivePassphraseException;
import dev.vouch.archive.profile.ArchiveFiles;
import dev.vouch.archive.profile.ArchiveItem;
import dev.vouch.archive.profile.ImportRefusedException;
import dev.vouch.archive.profile.MalformedContentsException;
import dev.vouch.archive.profile.ProfileExporter;
import dev.vouch.archive.profile.ProfileImporter;
import dev.vouch.archive.profile.TransferCancelledException;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.onboarding.PassphraseStrength;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Export of this profile to an encrypted archive and import of one into it (docs/archive-format.md),
 * in the background, with progress and cancel. The work is the command line's: the same files,
 * the same all-or-nothing import; this model only says in plain words what happened.
 */
public final class ArchiveViewModel {
    private final ProfileStore store;
    private final UiExecutors executors;
    private final Argon2id.Params params;
    private final Clock clock;
    private final StringProperty file = new SimpleStringProperty("");
    private final BooleanProperty historyOnly = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private volatile boolean cancelRequested;

    public ArchiveViewModel(ProfileStore store, UiExecutors executors, Argon2id.Params params, Clock clock) {
        this.store = store;
        this.executors = executors;
        this.params = params;
        this.clock = clock;
    }


    public StringProperty fileProperty() {
        return file;
    }

    public BooleanProperty historyOnlyProperty() {
        return historyOnly;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0 to 1; -1 while the passphrase's key is derived (no measure of progress yet). */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Writes the archive to the chosen file; the passphrase arrays are cleared. */
    public void export(char[] passphrase, char[] repeat) {
        try {
            Path target = chosenFile();
            if (target == null) {
                return;
            }
            if (!Arrays.equals(passphrase, repeat)) {
                problem.set("The two passphrases differ.");
                return;
            }
            PassphraseStrength strength = PassphraseStrength.of(passphrase);
            if (!strength.acceptable()) {
                problem.set("Choose a stronger passphrase for the archive: " + strength.advice());
                return;
            }
            if (Files.exists(target)) {
                problem.set("A file named " + target.getFileName() + " exists already: choose another name.");
                return;
            }
            ArchiveItem.Scope scope = historyOnly.get() ? ArchiveItem.Scope.HISTORY_ONLY : ArchiveItem.Scope.FULL;
            char[] secret = passphrase.clone();
            start("Deriving the archive's key...");
            executors.run(() -> {
                try {
                    return ArchiveFiles.export(store, scope, target, secret, params, false, monitor(), clock);
                } finally {
                    Arrays.fill(secret, '\0');
                }
            }, this::exported, e -> failed(e, "no archive was written"));
        } finally {
            Arrays.fill(passphrase, '\0');
            Arrays.fill(repeat, '\0');
        }
    }

    /** Reads the chosen archive into this profile, all or nothing; the passphrase array is cleared. */
    public void importArchive(char[] passphrase) {
        try {
            Path source = chosenFile();
            if (source == null) {
                return;
            }
            if (!Files.isRegularFile(source)) {
                problem.set("There is no file " + source + ".");
                return;
            }
            if (passphrase.length == 0) {
                problem.set("Type the archive's passphrase.");
                return;
            }
            char[] secret = passphrase.clone();
            start("Deriving the archive's key...");
            executors.run(() -> {
                try {
                    return ArchiveFiles.importInto(store, source, secret, monitor());
                } finally {
                    Arrays.fill(secret, '\0');
                }
            }, this::imported, e -> failed(e, "nothing was imported"));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Stops the running export or import at the next record: nothing is left half done. */
    public void cancel() {
        if (running.get()) {
            cancelRequested = true;
            status.set("Cancelling...");
        }
    }

    private Path chosenFile() {
        problem.set("");
        if (running.get()) {
            return null;
        }
        String text = file.get() == null ? "" : file.get().strip();
        if (text.isEmpty()) {
            problem.set("Choose the archive file first.");
            return null;
        }
        return Path.of(text);
    }

    private void start(String what) {
        cancelRequested = false;
        running.set(true);
        progress.set(-1);
        status.set(what);
    }

    private dev.vouch.archive.profile.TransferMonitor monitor() {
        return new dev.vouch.archive.profile.TransferMonitor() {
            private long lastPercent = -1;

            @Override
            public void progress(long done, long total) {
                long percent = total > 0 ? Math.min(100, done * 100 / total) : 0;
                if (percent != lastPercent) {
                    lastPercent = percent;
                    executors.onUi(() -> {
                        progress.set(percent / 100.0);
                        if (!cancelRequested) {
                            status.set(percent + "%");
                        }
                    });
                }
            }

            @Override
            public boolean cancelled() {
                return cancelRequested;
            }
        };
    }

    private void exported(ProfileExporter.Result result) {
        running.set(false);
        progress.set(1);
        boolean full = result.header().scope() == ArchiveItem.Scope.FULL;
        status.set("Exported " + result.end().messages() + " messages to " + file.get().strip() + "."
                + (full ? " It holds your account's keys: with its passphrase anyone can read your messages and act"
                        + " as you. Keep it safe." : " It holds no private key."));
    }

    private void imported(ProfileImporter.Result result) {
        running.set(false);
        progress.set(1);
        status.set("Imported " + result.messagesImported() + " messages (" + result.messagesAlreadyPresent()
                + " were here already), " + result.contactsAdded() + " contacts and " + result.keyEventsAdded()
                + " key history entries.");
    }

    private void failed(Exception e, String consequence) {
        running.set(false);
        progress.set(0);
        status.set("");
        problem.set(explain(e) + " (" + consequence + ")");
    }

    /** What went wrong, in words a person can act on. */
    static String explain(Exception e) {
        if (e instanceof TransferCancelledException) {
            return "Cancelled";
        } else if (e instanceof WrongArchivePassphraseException) {
            return "That passphrase does not open this archive";
        } else if (e instanceof NotAnArchiveException) {
            return "This file is not a Vouch archive";
        } else if (e instanceof UnsupportedArchiveVersionException) {
            return "This archive was made by a newer version of Vouch";
        } else if (e instanceof CorruptArchiveException || e instanceof MalformedContentsException) {
            return "The archive is damaged or incomplete: " + e.getMessage();
        } else if (e instanceof ImportRefusedException) {
            return "This archive cannot go into this profile: " + e.getMessage();
        } else if (e instanceof FileAlreadyExistsException) {
            return "A file with that name exists already";
        }
        return "Something went wrong: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
