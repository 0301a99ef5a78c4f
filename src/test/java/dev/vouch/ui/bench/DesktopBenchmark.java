package dev.vouch.ui.bench;

import dev.vouch.cli.BenchChild;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.relay.server.Limits;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.bench.StoreBenchmark;
import dev.vouch.store.bench.SyntheticHistory;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.conversations.ConversationRow;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.shell.ShellViewModel.Screen;
import dev.vouch.ui.shell.VouchDesktop;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;

/**
 * The desktop app's figures of docs/app.md ("Measured"), each from a fresh JVM started as a user's
 * would be (serial collector, a 256 MB heap that the run must fit in), headless under Monocle with
 * software rendering, on one profile of 1,000,000 messages built once:
 * <ol>
 * <li>start to unlock screen: from the JVM's start to the first pulse that has laid the unlock screen out;</li>
 * <li>unlock to conversation list: from pressing Unlock to the pulse that lays out the listed
 * conversations, with the Argon2id derivation of the profile's parameters timed alone in the same JVM;</li>
 * <li>opening the 100,000-message conversation: from selecting it in the list to the pulse that lays out
 * its newest page scrolled to the end (three opens per JVM, another conversation opened between them);</li>
 * <li>the Java heap used after a full collection, unlocked, the list shown and the big conversation open;</li>
 * <li>the longest stall of the JavaFX thread while 1,000 messages are stored one by one into the open
 * conversation, as the receive path stores them: the longest gap between two frames of an
 * {@link AnimationTimer}, and the longest lateness of a {@link Platform#runLater} heartbeat sent every 10 ms.</li>
 * </ol>
 * Run it with {@code mvn -B -q -Pbench test-compile exec:exec@desktop-bench} (docs/benchmarks.md).
 */
public final class DesktopBenchmark {
    static final String PASSPHRASE = "desktop benchmark passphrase";
    static final String BIG_PEER = "bob";
    static final int BIG = 100_000;
    static final int CONVERSATIONS = 1000;
    static final int OPENS = 3;
    static final int BURST = 1000;
    static final long TIMEOUT_SECONDS = 120;
    /** The app's collector and the heap limit; the child fails if the app does not fit in it. */
    static final List<String> CHILD_JVM = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m",
            "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true");

    /** What one fresh JVM measured. */
    public record Run(double startupMillis, double unlockMillis, double sessionMillis, double kdfMillis,
                      List<Double> openMillis,
                      long heapUsedAfterGc, long heapPeak, double burstStoreMillis, double burstShownMillis,
                      double quietLongestFrameGapMillis, double quietLongestHeartbeatLateMillis,
                      double burstLongestFrameGapMillis, double burstLongestHeartbeatLateMillis) {
    }

    private DesktopBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--child")) {
            try {
                child(Path.of(a.get(a.indexOf("--child") + 1)));
            } catch (Throwable e) {
                e.printStackTrace();
                System.exit(1); // the JavaFX threads would keep a failed run alive
            }
            return;
        }
        int iterations = a.contains("--iterations") ? Integer.parseInt(a.get(a.indexOf("--iterations") + 1)) : 5;
        int messages = a.contains("--messages") ? Integer.parseInt(a.get(a.indexOf("--messages") + 1)) : 1_000_000;
        Path work = a.contains("--work") ? Path.of(a.get(a.indexOf("--work") + 1))
                : Files.createTempDirectory("vouch-desktop-bench-");
        try {
            if (!Files.exists(work.resolve("built"))) { // a build that stopped half way starts again
                BenchChild.deleteRecursively(work);
                long t = System.nanoTime();
                build(work, messages);
                Files.writeString(work.resolve("built"), messages + " messages\n");
                System.out.printf("built a profile of %,d messages in %.1f s%n", messages, (System.nanoTime() - t) / 1e9);
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= iterations; i++) {
                Run run = BenchChild.run(Run.class, "desktop run " + i, CHILD_JVM, DesktopBenchmark.class.getName(),
                        "--child", work.toString());
                System.out.println("run " + i + ": " + run);
                runs.add(run);
            }
            report(runs);
        } finally {
            if (!a.contains("--work")) {
                BenchChild.deleteRecursively(work);
            }
        }
        System.exit(0);
    }

    /** A registered profile: one conversation of 100,000 messages, the rest spread over 999 others. */
    static void build(Path work, int messages) throws Exception {
        Files.createDirectories(work);
        try (LocalRelay relay = LocalRelay.start(work.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
             ProfileStore store = ProfileStore.create(work.resolve("profile"), PASSPHRASE.toCharArray(),
                     Argon2id.Params.RECOMMENDED, Clock.systemUTC())) {
            Messenger.initialize(store, "alice", relay.invite(), Messenger.Options.defaults());
            SyntheticHistory history = new SyntheticHistory(20261128L, 20_000, CONVERSATIONS - 1);
            long big = store.conversations().open(BIG_PEER);
            long[] others = new long[CONVERSATIONS - 1];
            for (int c = 0; c < others.length; c++) {
                others[c] = store.conversations().open(history.peer(c));
            }
            List<MessageDao.NewMessage> batch = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                boolean inBig = i < BIG;
                int c = inBig ? 0 : history.nextConversation();
                MessageBody b = history.next(c);
                if (inBig) {
                    b = MessageBody.text(b.direction(), b.direction() == Direction.OUTGOING ? "alice" : BIG_PEER, 1,
                            b.sentAt(), b.sentAt(), b.text());
                }
                MessageStatus status = b.direction() == Direction.OUTGOING ? MessageStatus.DELIVERED : MessageStatus.READ;
                batch.add(new MessageDao.NewMessage(inBig ? big : others[c], history.uid(), status, b));
                if (batch.size() == 10_000 || i == messages - 1) {
                    store.messages().insertAll(batch);
                    batch.clear();
                }
            }
            StoreBenchmark.buildSearchSnapshot(store);
        }
    }

    static void report(List<Run> runs) {
        System.out.println();
        System.out.printf("%-58s %10s %10s   %s%n", "figure (" + runs.size() + " fresh JVMs)", "median", "max", "target");
        row("start to unlock screen (ms)", runs.stream().map(Run::startupMillis).toList(), "<= 1500");
        row("unlock to conversation list, minus key derivation (ms)",
                runs.stream().map(r -> r.unlockMillis() - r.kdfMillis()).toList(), "<= 1000");
        row("  key derivation alone, Argon2id (ms)", runs.stream().map(Run::kdfMillis).toList(), "");
        row("  unlock to main screen (store open, session started) (ms)", runs.stream().map(Run::sessionMillis).toList(), "");
        row("open 100,000-message conversation, first in JVM (ms)", runs.stream().map(r -> r.openMillis().get(0)).toList(),
                "<= 200");
        row("open 100,000-message conversation, all opens (ms)",
                runs.stream().flatMap(r -> r.openMillis().stream()).toList(), "<= 200");
        row("heap used after GC, 1,000,000 messages (MB, -Xmx256m)",
                runs.stream().map(r -> r.heapUsedAfterGc() / 1e6).toList(), "<= 256");
        row("heap peak (MB)", runs.stream().map(r -> r.heapPeak() / 1e6).toList(), "");
        row("nothing arriving: longest gap between frames (ms)",
                runs.stream().map(Run::quietLongestFrameGapMillis).toList(), "(the machine's own stalls)");
        row("nothing arriving: longest runLater lateness (ms)",
                runs.stream().map(Run::quietLongestHeartbeatLateMillis).toList(), "");
        row("1,000-message burst: longest gap between frames (ms)",
                runs.stream().map(Run::burstLongestFrameGapMillis).toList(), "<= 50");
        row("1,000-message burst: longest runLater lateness (ms)",
                runs.stream().map(Run::burstLongestHeartbeatLateMillis).toList(), "<= 50");
        row("1,000-message burst: stored in (ms)", runs.stream().map(Run::burstStoreMillis).toList(), "");
        row("1,000-message burst: last one shown after (ms)", runs.stream().map(Run::burstShownMillis).toList(), "");
    }

    private static void row(String name, List<Double> values, String target) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        System.out.printf("%-58s %10.0f %10.0f   %s%n", name, median, v[v.length - 1], target);
    }

    // ---- one fresh JVM ----

    private static void child(Path work) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        AtomicReference<VouchDesktop> ref = new AtomicReference<>();
        Platform.startup(() -> {
            VouchDesktop d = new VouchDesktop(Desktops.config(work.resolve("profile"), LocalRelays.NONE));
            Stage stage = new Stage();
            stage.setWidth(1000);
            stage.setHeight(760);
            d.start(stage);
            ref.set(d);
        });
        Thread pulses = new Thread(() -> {
            // a pulse at least every 20 ms, so a condition that became true is seen within a frame
            while (!Thread.currentThread().isInterrupted()) {
                Platform.requestNextPulse();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        pulses.setDaemon(true);
        pulses.start();
        VouchDesktop desktop = onFx(ref::get);
        laidOut(desktop, "the unlock screen", () -> desktop.viewModel().screenProperty().get() == Screen.UNLOCK
                && desktop.stage().getScene().lookup("#unlockPassphrase") instanceof PasswordField f && f.getWidth() > 0);
        double startup = System.currentTimeMillis() - jvmStart;

        AtomicLong mainShown = new AtomicLong();
        long unlockStart = onFx(() -> {
            desktop.viewModel().screenProperty().addListener((o, was, now) -> {
                if (now == Screen.MAIN) {
                    mainShown.compareAndSet(0, System.nanoTime());
                }
            });
            Scene scene = desktop.stage().getScene();
            ((PasswordField) scene.lookup("#unlockPassphrase")).setText(PASSPHRASE);
            long t = System.nanoTime();
            ((Button) scene.lookup("#unlock")).fire();
            return t;
        });
        long listed = laidOut(desktop, "the conversation list", () -> {
            if (desktop.viewModel().screenProperty().get() != Screen.MAIN) {
                return false;
            }
            ListView<?> list = (ListView<?>) desktop.stage().getScene().lookup("#conversations");
            return list != null && list.getItems().size() >= CONVERSATIONS && lastShown(list) >= 0;
        });
        double unlock = (listed - unlockStart) / 1e6;
        long k = System.nanoTime();
        byte[] salt = new byte[16];
        CryptoRandom.get().nextBytes(salt);
        Argon2id.derive(PASSPHRASE.getBytes(StandardCharsets.UTF_8), salt, Argon2id.Params.RECOMMENDED, 32);
        double kdf = (System.nanoTime() - k) / 1e6;

        @SuppressWarnings("unchecked")
        ListView<ConversationRow> list = onFx(() -> (ListView<ConversationRow>) desktop.stage().getScene()
                .lookup("#conversations"));
        @SuppressWarnings("unchecked")
        ListView<MessageRow> messages = onFx(() -> (ListView<MessageRow>) desktop.stage().getScene().lookup("#messages"));
        int big = onFx(() -> indexOf(list, BIG_PEER));
        int other = big == 0 ? 1 : 0;
        ProfileStore store = desktop.viewModel().store();
        long bigId = onFx(() -> list.getItems().get(big).id());
        long newest = store.messages().page(bigId, Long.MAX_VALUE, 1).get(0).id();
        List<Double> opens = new ArrayList<>();
        for (int i = 0; i < OPENS; i++) {
            if (i > 0) {
                onFx(() -> {
                    list.getSelectionModel().select(other);
                    return null;
                });
                laidOut(desktop, "another conversation", () -> messages.getItems() != null
                        && !messages.getItems().isEmpty() && lastShown(messages) >= 0
                        && messages.getItems().stream().noneMatch(m -> m.id() == newest));
            }
            long t = onFx(() -> {
                long s = System.nanoTime();
                list.getSelectionModel().select(big);
                return s;
            });
            long shown = laidOut(desktop, "the big conversation", () -> messages.getItems() != null
                    && messages.getItems().size() >= 100
                    && messages.getItems().get(messages.getItems().size() - 1).id() == newest
                    && lastShown(messages) == messages.getItems().size() - 1);
            opens.add((shown - t) / 1e6);
        }

        Thread.sleep(1000); // let the open settle (older pages it asked for)
        System.gc();
        System.gc();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        // the burst: frame gaps and heartbeat lateness, then 1,000 messages stored one by one
        AtomicLong lastFrame = new AtomicLong();
        AtomicLong longestGap = new AtomicLong();
        AtomicLong longestLate = new AtomicLong();
        AnimationTimer frames = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long previous = lastFrame.getAndSet(now);
                if (previous != 0) {
                    longestGap.accumulateAndGet(now - previous, Math::max);
                }
            }
        };
        onFx(() -> {
            frames.start();
            return null;
        });
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            long due = System.nanoTime();
            Platform.runLater(() -> longestLate.accumulateAndGet(System.nanoTime() - due, Math::max));
        }, 0, 10, TimeUnit.MILLISECONDS);
        Thread.sleep(500);
        longestGap.set(0);
        longestLate.set(0);
        Thread.sleep(1500); // the same probes with nothing arriving: what the machine's load alone costs
        double quietGap = longestGap.getAndSet(0) / 1e6;
        double quietLate = longestLate.getAndSet(0) / 1e6;
        long b0 = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < BURST; i++) {
            byte[] uid = new byte[16];
            CryptoRandom.get().nextBytes(uid);
            store.messages().insert(new MessageDao.NewMessage(bigId, uid, MessageStatus.UNREAD, MessageBody.text(
                    Direction.INCOMING, BIG_PEER, 1, now, now, "burst message " + i)));
        }
        long stored = System.nanoTime();
        long burstShown = laidOut(desktop, "the burst's last message", () -> messages.getItems() != null
                && messages.getItems().get(messages.getItems().size() - 1).text().equals("burst message " + (BURST - 1))
                && lastShown(messages) == messages.getItems().size() - 1);
        Thread.sleep(1000); // the reads marked and the list refreshed after the last one
        heartbeat.shutdownNow();
        onFx(() -> {
            frames.stop();
            return null;
        });
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Run run = new Run(startup, unlock, (mainShown.get() - unlockStart) / 1e6, kdf, opens, heapUsed, peak, (stored - b0) / 1e6, (burstShown - b0) / 1e6,
                quietGap, quietLate, longestGap.get() / 1e6, longestLate.get() / 1e6);
        BenchChild.printResult(new PrintWriter(System.out, true, StandardCharsets.UTF_8), run);
        pulses.interrupt();
        System.exit(0);
    }

    private static int indexOf(ListView<ConversationRow> list, String peer) {
        for (int i = 0; i < list.getItems().size(); i++) {
            if (peer.equals(list.getItems().get(i).peer())) {
                return i;
            }
        }
        throw new IllegalStateException(peer + " is not in the conversation list");
    }

    private static String state(VouchDesktop desktop) {
        if (!(desktop.stage().getScene().lookup("#messages") instanceof ListView<?> list) || list.getItems() == null) {
            return "none";
        }
        Object last = list.getItems().isEmpty() ? null : list.getItems().get(list.getItems().size() - 1);
        return list.getItems().size() + " loaded, cell " + lastShown(list) + " shown last, newest " + last;
    }

    /** The index of the last cell the list has laid out with an item, or -1. */
    private static int lastShown(ListView<?> list) {
        if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            IndexedCell<?> cell = flow.getLastVisibleCell();
            return cell == null || cell.isEmpty() ? -1 : cell.getIndex();
        }
        return -1;
    }

    /**
     * Waits for the first pulse after whose layout {@code condition} holds (checked on the JavaFX
     * thread right after each pulse's layout) and returns {@link System#nanoTime} then.
     */
    private static long laidOut(VouchDesktop desktop, String what, BooleanSupplier condition) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Scene scene = onFx(() -> desktop.stage().getScene());
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (!done.isDone() && condition.getAsBoolean()) {
                    done.complete(System.nanoTime());
                    scene.removePostLayoutPulseListener(this);
                }
            }
        };
        Platform.runLater(() -> scene.addPostLayoutPulseListener(check));
        try {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out waiting for " + what + "; the window says: "
                    + onFx(() -> Desktops.problems(desktop) + "; messages: " + state(desktop)), e);
        }
    }

    private static <T> T onFx(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
