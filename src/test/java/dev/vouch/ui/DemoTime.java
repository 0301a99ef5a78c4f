package dev.vouch.ui;

import dev.vouch.app.LocalDemo;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.DemoViewModel;
import dev.vouch.ui.demo.DemoWindows;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.VouchDesktop;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Label;

/**
 * Measures what a newcomer waits for in {@code vouch demo}, set up as the command sets it up (the
 * recommended passphrase cost, the service's default options): from the JVM's start to both
 * windows showing the conversation, then from each button of the panel to its warning in Alice's
 * window (docs/app.md has the command). Not a test: a measurement, printed a line per figure.
 */
public final class DemoTime {
    private static final long LIMIT_SECONDS = 60;

    private DemoTime() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.currentTimeMillis();
        Demo demo = new LocalDemo(Clock.systemUTC(), Argon2id.Params.RECOMMENDED, Messenger.Options.defaults())
                .prepare();
        long prepared = System.currentTimeMillis();
        CompletableFuture<DemoWindows> opened = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(false);
        Platform.startup(() -> opened.complete(DemoWindows.open(demo, DesktopConfig.defaults(demo.folder(),
                LocalRelays.NONE), closed::countDown)));
        DemoWindows windows = opened.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        awaitFx("both conversations", () -> shows(windows.alice()) && shows(windows.bob()));
        long now = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("demo ready (both windows on the conversation) %d ms after the JVM started; setting up the"
                + " relay and the two talking profiles took %d ms%n", now - jvmStart, prepared - start);

        Label notice = (Label) windows.alice().stage().getScene().lookup("#notice");
        DemoViewModel panel = windows.viewModel();
        measure("substitute Bob's key -> transparency alert", panel, DemoViewModel::substituteKey,
                () -> notice.getText().contains("substitute a key"));
        measure("behave again", panel, DemoViewModel::behave, () -> true);
        measure("inject a device -> device list refused", panel, DemoViewModel::injectDevice,
                () -> notice.getText().startsWith("Refused the device list"));
        measure("behave again", panel, DemoViewModel::behave, () -> true);
        measure("show a split view -> split-view alert", panel, DemoViewModel::splitView,
                () -> notice.getText().contains("different people different keys"));

        Platform.runLater(windows::close);
        closed.await(LIMIT_SECONDS, TimeUnit.SECONDS);
        Platform.exit();
        System.exit(0);
    }

    private static boolean shows(VouchDesktop desktop) {
        return Desktops.shown(desktop).size() == LocalDemo.CONVERSATION.size();
    }

    /** Presses a button (through its ViewModel) and times it until the panel is done and {@code shown} holds. */
    private static void measure(String what, DemoViewModel panel, Consumer<DemoViewModel> press,
                                Supplier<Boolean> shown) throws Exception {
        long before = System.nanoTime();
        Platform.runLater(() -> press.accept(panel));
        awaitFx(what, () -> !panel.busyProperty().get() && shown.get());
        long millis = (System.nanoTime() - before) / 1_000_000;
        String problem = onFx(() -> panel.problemProperty().get());
        System.out.printf("%s: %d ms%s%n", what, millis, problem.isEmpty() ? "" : " (" + problem + ")");
    }

    private static void awaitFx(String what, Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!onFx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + LIMIT_SECONDS + " s");
            }
            Thread.sleep(5);
        }
    }

    private static <T> T onFx(Supplier<T> read) throws Exception {
        CompletableFuture<T> value = new CompletableFuture<>();
        Platform.runLater(() -> value.complete(read.get()));
        return value.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    }
}
