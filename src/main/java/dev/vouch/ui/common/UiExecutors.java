package dev.vouch.ui.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Where the desktop app's work runs: crypto, SQLite and network on {@code background}, results on
 * {@code ui} (the JavaFX thread in the app, the calling thread in ViewModel tests). This is the one
 * place results cross back to the UI thread.
 */
public final class UiExecutors {
    private final Executor background;
    private final Executor ui;
    /** Whether {@code ui} runs on the calling thread (ViewModel tests): then nothing is delayed either. */
    private final boolean immediate;

    public UiExecutors(Executor background, Executor ui) {
        this(background, ui, false);
    }

    private UiExecutors(Executor background, Executor ui, boolean immediate) {
        this.background = background;
        this.ui = ui;
        this.immediate = immediate;
    }

    /** The app's executors: a small pool of daemon threads, and the JavaFX application thread. */
    public static UiExecutors forFx() {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vouch-ui-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new UiExecutors(pool, Platform::runLater);
    }

    /** Both on the calling thread: ViewModel tests see every result before the call returns. */
    public static UiExecutors synchronous() {
        return new UiExecutors(Runnable::run, Runnable::run, true);
    }

    public Executor ui() {
        return ui;
    }

    public Executor background() {
        return background;
    }

    /** A piece of background work that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code work} in the background, then {@code done} or {@code failed} on the UI thread.
     * An error (not an exception) is handed to {@code failed} too, so the UI never waits forever.
     */
    public <T> void run(Work<T> work, Consumer<T> done, Consumer<Exception> failed) {
        background.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                ui.execute(() -> failed.accept(e));
                return;
            } catch (Error e) {
                ui.execute(() -> failed.accept(new Exception(e)));
                return;
            }
            ui.execute(() -> done.accept(result));
        });
    }

    /** Hands {@code action} to the UI thread. */
    public void onUi(Runnable action) {
        ui.execute(action);
    }

    /** Hands {@code action} to the UI thread after {@code millis}; at once with {@link #synchronous()}. */
    public void onUiAfter(long millis, Runnable action) {
        if (immediate || millis <= 0) {
            ui.execute(action);
        } else {
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, ui).execute(action);
        }
    }
}
