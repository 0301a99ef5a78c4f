package dev.vouch.ui.shell;

import dev.vouch.service.DeviceRemovedException;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.NotInitializedException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.search.SearchService;
import dev.vouch.ui.common.LinkProblems;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * Which screen the app shows and the profile's life behind it: first run, locked, unlocked (a
 * {@link Session}), locked again by the user or after the idle timeout. Owns the open store (and
 * with it the profile's process lock) from start to exit.
 */
public final class ShellViewModel {
    public enum Screen { STARTING, ONBOARDING, UNLOCK, MAIN }

    /** How long after a failed connection the app tries the relay again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    /**
     * How often a connected app hands the outbox to the relay again, as {@code receive --follow}
     * does: what a flush left waiting (the relay was busy, or the link came back while it ran)
     * goes out without waiting for the next message.
     */
    static final Duration FLUSH_EVERY = Duration.ofSeconds(3);

    private final DesktopConfig config;
    private final UiExecutors executors;
    private final ObjectProperty<Screen> screen = new SimpleObjectProperty<>(Screen.STARTING);
    private final ObjectProperty<Session> session = new SimpleObjectProperty<>();
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty connection = new SimpleStringProperty("");
    private final BooleanProperty removed = new SimpleBooleanProperty(false);
    private final ScheduledExecutorService retries;
    private volatile ProfileStore store;
    private SearchService search;
    private ExecutorService searchWorker;
    private Instant lastInteraction;
    private Duration idleTimeout;
    private boolean closed;

    public ShellViewModel(DesktopConfig config) {
        this.config = config;
        this.executors = config.executors();
        this.lastInteraction = config.clock().instant();
        this.idleTimeout = config.idleTimeout();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vouch-ui-retry");
            t.setDaemon(true);
            return t;
        });
    }

    public DesktopConfig config() {
        return config;
    }

    public ReadOnlyObjectProperty<Screen> screenProperty() {
        return screen;
    }

    public ReadOnlyObjectProperty<Session> sessionProperty() {
        return session;
    }

    /** A problem to show on the current screen (the profile is in use elsewhere, say), or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** The relay link in words: connecting, connected, or why not. */
    public ReadOnlyStringProperty connectionProperty() {
        return connection;
    }

    /**
     * Another device of the account removed this one (docs/devices.md, "Unlinking"): nothing arrives
     * here any more, and the window says so ({@link LinkProblems#REMOVED}) instead of retrying.
     */
    public ReadOnlyBooleanProperty removedProperty() {
        return removed;
    }

    public ProfileStore store() {
        return store;
    }

    /**
     * Search over every message of the open store: attached once per store (it follows the store's
     * lock and unlock by itself) and indexed on its own thread.
     */
    public SearchService search() {
        if (search == null) {
            searchWorker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "vouch-search");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
            search = SearchService.attach(store, searchWorker);
        }
        return search;
    }

    /** Decides the first screen: unlock if this folder holds a profile, else the first run. */
    public void start() {
        executors.run(() -> {
            if (!ProfileStore.exists(config.profile())) {
                return null;
            }
            ProfileStore opened = ProfileStore.open(config.profile(), config.clock());
            try {
                config.localRelays().resume(config.profile());
            } catch (Exception e) {
                // the profile still opens; the connection status will say the relay is unreachable
            }
            return opened;
        }, opened -> {
            store = opened;
            screen.set(opened == null ? Screen.ONBOARDING : Screen.UNLOCK);
        }, failure -> {
            problem.set(Problems.describe(failure));
            screen.set(Screen.UNLOCK);
        });
    }

    /** The first run created and registered the profile, which is unlocked. */
    public void created(ProfileStore created) {
        store = created;
        openSession();
    }

    /** The unlock screen opened the store. */
    public void unlocked() {
        openSession();
    }

    private void openSession() {
        ProfileStore current = store;
        touch();
        problem.set("");
        connection.set("Connecting to the relay…");
        executors.run(() -> Session.open(current, config.messenger()), opened -> {
            if (closed) {
                opened.close();
                return;
            }
            String removal = new DeviceRemovedException(opened.handle(),
                    opened.messenger().account().deviceId()).getMessage();
            opened.addListener(new MessengerListener() {
                @Override
                public void problem(String message) {
                    if (removal.equals(message)) {
                        executors.onUi(() -> {
                            if (session.get() == opened) {
                                removedNow();
                            }
                        });
                    }
                }

                @Override
                public void connectionChanged(boolean connected) {
                    executors.onUi(() -> {
                        if (session.get() == opened && !removed.get()) {
                            connection.set(connected ? "Connected" : "Relay connection lost; reconnecting…"
                                    + " Messages you send wait on this computer.");
                        }
                    });
                }
            });
            session.set(opened);
            screen.set(Screen.MAIN);
            connect(opened);
        }, failure -> {
            problem.set(failure instanceof NotInitializedException
                    ? "This profile was never registered with a relay. Start Vouch with a new profile folder."
                    : failure instanceof DeviceRemovedException ? LinkProblems.REMOVED : Problems.describe(failure));
            current.lock();
            screen.set(Screen.UNLOCK);
        });
    }

    private void connect(Session target) {
        executors.run(() -> {
            target.messenger().connect();
            return null;
        }, ignored -> {
            if (session.get() == target) {
                connection.set("Connected");
                keepFlushing(target);
            }
        }, failure -> {
            if (session.get() != target) {
                return;
            }
            if (failure instanceof DeviceRemovedException) {
                removedNow();
                return;
            }
            connection.set("Offline: " + Problems.describe(failure) + " Trying again…");
            if (closed) {
                return;
            }
            retries.schedule(() -> executors.onUi(() -> {
                if (session.get() == target) {
                    connect(target);
                }
            }), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void removedNow() {
        removed.set(true);
        connection.set("Removed from the account: nothing arrives here any more.");
    }

    private void keepFlushing(Session target) {
        if (closed || removed.get()) {
            return;
        }
        retries.schedule(() -> executors.onUi(() -> {
            if (session.get() != target) {
                return;
            }
            executors.run(() -> target.messenger().flush(), waiting -> keepFlushing(target),
                    offline -> keepFlushing(target)); // offline: the client reconnects by itself
        }), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Locks now: the keys are dropped, the engine stops, the unlock screen shows. */
    public void lock() {
        Session current = session.get();
        if (current == null) {
            return;
        }
        session.set(null);
        connection.set("");
        removed.set(false);
        screen.set(Screen.UNLOCK);
        // The keys go at once; stopping the engine (which may wait for the relay) happens behind.
        store.lock();
        executors.background().execute(current::close);
    }

    /** A key press or mouse move: the idle timer starts again. */
    public void touch() {
        lastInteraction = config.clock().instant();
    }

    /** Lock after this long without a key press or mouse move; zero never locks. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Takes effect at once: the next idle check measures against it. */
    public void idleTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a negative auto-lock time");
        }
        this.idleTimeout = timeout;
    }

    /** Locks if nobody touched the app for the idle timeout; returns whether it locked. Called every second. */
    public boolean checkIdle() {
        Duration timeout = idleTimeout;
        if (timeout.isZero() || session.get() == null) {
            return false;
        }
        if (Duration.between(lastInteraction, config.clock().instant()).compareTo(timeout) >= 0) {
            lock();
            return true;
        }
        return false;
    }

    /** The window closes: stop the engine, close the store, stop the embedded relay. Blocks briefly. */
    public void close() {
        closed = true;
        Session current = session.get();
        session.set(null);
        retries.shutdownNow();
        if (current != null) {
            current.close();
        }
        if (search != null) {
            search.close();
            searchWorker.shutdownNow();
        }
        ProfileStore open = store;
        if (open != null) {
            open.close();
        }
        config.localRelays().close();
    }
}
