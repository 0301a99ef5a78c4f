package dev.vouch.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.store.crash.ReceivingWriter;
import dev.vouch.store.crash.ReceivingWriter.Outcome;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.ChildJvm;
import dev.vouch.testing.Party;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receiving survives SIGKILL at any moment. A child JVM ({@link ReceivingWriter}) receives a stream
 * of protocol messages into the profile, acknowledging each only after its commit, and is killed
 * with SIGKILL at random moments (right after a random acknowledgement, a few milliseconds into a
 * random message, i.e. while decrypting, storing or committing it, a random delay after it is
 * ready, or while it is still opening the profile), then restarted; the sender (in this JVM) resends
 * everything not acknowledged. The sender's messages arrive partly out of order, some held back
 * across DH ratchet steps, and the receiver's replies make both sides ratchet.
 *
 * <p>After every kill a copy of exactly what the dead process left on disk (database and WAL) is
 * opened and checked: it opens, passes SQLite's integrity check, holds every acknowledged message
 * once and in delivery order, at most one message beyond them (committed, killed before its
 * acknowledgement), refuses that one as a duplicate, and decrypts the next. Each restarted child
 * must answer {@code DUP} exactly for the messages already stored and {@code ACK} for the others.
 * At the end all messages are stored exactly once, in delivery order, and the session still works
 * both ways.
 */
class CrashSafetyTest {
    private static final int MESSAGES = 100;
    private static final int MIN_KILLS = 24;
    /** Messages delivered ahead of the receiver, so a kill usually lands while it is working. */
    private static final int BACKLOG = 6;
    private static final Duration SILENCE = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private final SecureRandom secureRandom = new SecureRandom();
    private Random random;
    private Path profile;
    private SessionCipher bob;

    /** Messages in the order they are delivered (the sender's order, partly shuffled). */
    private final List<Envelope> delivery = new ArrayList<>();
    private final List<Held> heldBack = new ArrayList<>();
    private int generated;
    /** How many of {@link #delivery} the receiver has answered for (ACK or DUP). */
    private int answered;
    /** Message numbers the last crash image held: a restarted receiver must refuse exactly these. */
    private Set<Integer> storedBeforeRun = Set.of();

    // statistics for the summary line
    private int kills;
    private int runs;
    private int ackedInKilledRuns;
    private int duplicatesRefused;
    /** Messages found committed after a kill that had not been acknowledged before it. */
    private final Set<Integer> committedUnacknowledged = new HashSet<>();
    private int repliesRead;
    /** The message the killed receiver had begun and not answered, or -1. */
    private int inFlight = -1;
    /** Kills that interrupted a message before its commit: it must have left no trace. */
    private int rolledBack;
    /** Kills of a receiver that had nothing left to receive (it had opened the profile and was waiting). */
    private int idleKills;
    private int outOfOrder;
    private final Map<String, int[]> killsByMoment = new TreeMap<>();

    private record Envelope(int n, byte[] wire) {
    }

    private static final class Held {
        final Envelope envelope;
        int chunksToWait;

        Held(Envelope envelope, int chunksToWait) {
            this.envelope = envelope;
            this.chunksToWait = chunksToWait;
        }
    }

    /**
     * When to kill one run of the child.
     *
     * @param nth which acknowledgement (after-ack) or which begun message (mid-message) triggers the kill
     * @param delayNanos how long after the trigger (mid-message), after READY (while-receiving) or after
     *                   the start (while-starting) the kill comes
     */
    private record KillPlan(String moment, int nth, long delayNanos) {
        static final KillPlan NEVER = new KillPlan("never", -1, -1);
    }

    @Test
    void receivedMessagesSurviveSigkillExactlyOnce() throws Exception {
        long seed = Long.getLong("vouch.crash.seed", System.nanoTime());
        random = new Random(seed);
        long started = System.nanoTime();
        profile = root.resolve("profile");
        setUp();
        try {
            receiveThroughKills();
            checkFinalStore();
            assertThat(duplicatesRefused).as("each message committed but not acknowledged was refused once on"
                    + " redelivery").isEqualTo(committedUnacknowledged.size());
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n--- history ---\n"
                    + String.join("\n", history), e);
        }
        System.out.printf("[crash] seed %d: %d SIGKILLs over %d runs in %.1f s; %d messages (%d delivered out of order)"
                        + " stored exactly once; %d acknowledged in runs that were then killed; %d interrupted before their"
                        + " commit and rolled back; %d committed but killed before the acknowledgement, %d refused as duplicates on redelivery; %d replies read by the sender;"
                        + " kills by moment %s, %d of them with nothing left to receive%n",
                seed, kills, runs, (System.nanoTime() - started) / 1e9, MESSAGES, outOfOrder, ackedInKilledRuns, rolledBack,
                committedUnacknowledged.size(), duplicatesRefused, repliesRead, killsByMomentText(), idleKills);
    }

    /** Runs the receiver until it has been killed {@link #MIN_KILLS} times, then once more to the end. */
    private void receiveThroughKills() throws Exception {
        long startupNanos = Duration.ofMillis(700).toNanos();
        while (true) {
            boolean finalRun = kills >= MIN_KILLS;
            KillPlan plan = finalRun ? KillPlan.NEVER : plan(startupNanos);
            ensureBacklog();
            runs++;
            log("run " + runs + " " + plan + ", answered " + answered + " of " + delivery.size());
            inFlight = -1;
            Optional<Long> ready = new Run(plan).go();
            if (ready.isPresent()) {
                startupNanos = Math.min(startupNanos, ready.get());
            }
            if (finalRun) {
                return;
            }
            kills++;
            killsByMoment.computeIfAbsent(plan.moment(), k -> new int[1])[0]++;
            checkCrashImage();
        }
    }

    /**
     * The settings docs/storage-durability.md relies on: the WAL, a sync of it at every commit
     * (synchronous=FULL; NORMAL would only sync at checkpoints and may lose the last commits to a power
     * cut), F_FULLFSYNC where the OS has it (macOS), and no temp files.
     */
    @Test
    void durabilitySettingsAreInForce() throws Exception {
        try (ProfileStore store = ProfileStore.create(root.resolve("pragmas"), "p".toCharArray(),
                ProfileStoreTest.FAST, Clock.systemUTC())) {
            assertThat(pragma(store, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(store, "synchronous")).as("2 = FULL").isEqualTo("2");
            assertThat(pragma(store, "fullfsync")).isEqualTo("1");
            assertThat(pragma(store, "temp_store")).as("2 = MEMORY").isEqualTo("2");
            assertThat(pragma(store, "secure_delete")).isEqualTo("1");
        }
    }

    private static String pragma(ProfileStore store, String name) throws StoreException {
        return store.context().database().read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        });
    }

    private final List<String> history = new ArrayList<>();

    private void log(String event) {
        history.add(event);
    }

    private String killsByMomentText() {
        StringBuilder out = new StringBuilder("{");
        killsByMoment.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append('=').append(v[0]));
        return out.append('}').toString();
    }

    private KillPlan plan(long startupNanos) {
        return switch (random.nextInt(4)) {
            case 0 -> new KillPlan("after-ack", 1 + random.nextInt(4), -1);
            case 1 -> new KillPlan("mid-message", 1 + random.nextInt(4),
                    (long) (random.nextDouble() * Duration.ofMillis(5).toNanos()));
            case 2 -> new KillPlan("while-receiving", -1, (long) (random.nextDouble() * Duration.ofMillis(40).toNanos()));
            default -> new KillPlan("while-starting", -1, (long) (random.nextDouble() * startupNanos));
        };
    }

    // setting up

    private void setUp() throws Exception {
        PreKeyBundle bundle;
        try (ProfileStore store = ProfileStore.create(profile, ReceivingWriter.PASSPHRASE.toCharArray(),
                ProfileStoreTest.FAST, Clock.systemUTC())) {
            DeviceIdentity device = DeviceIdentity.generate(secureRandom);
            store.accounts().save(new Account(ReceivingWriter.RECEIVER.name(), ReceivingWriter.RECEIVER.deviceId(),
                    AccountIdentity.generate(secureRandom), device));
            ProtocolStateDao state = store.protocolState();
            SignedPreKey signed = SignedPreKey.generate(7, device, 0, secureRandom);
            OneTimePreKey oneTime = OneTimePreKey.generate(8, secureRandom);
            KemPreKey kem = KemPreKey.generate(9, false, device, 0, secureRandom);
            state.storeSignedPreKey(signed);
            state.storeOneTimePreKey(oneTime);
            state.storeKemPreKey(kem);
            bundle = PreKeyBundle.verified(1, device.publicKey(), signed.publicPart(), oneTime.publicPart(),
                    kem.publicPart());
            store.conversations().open(ReceivingWriter.SENDER.name());
        }
        Party sender = new Party(ReceivingWriter.SENDER.name(), ReceivingWriter.SENDER.deviceId(), secureRandom);
        new SessionBuilder(sender.store(), ReceivingWriter.RECEIVER, secureRandom).process(bundle);
        bob = new SessionCipher(sender.store(), ReceivingWriter.RECEIVER);
    }

    // the sender

    /** Keeps {@link #BACKLOG} messages ahead of the receiver while any are left to send. */
    private void ensureBacklog() throws Exception {
        while (delivery.size() - answered < BACKLOG && (generated < MESSAGES || !heldBack.isEmpty())) {
            generateChunk();
        }
    }

    /**
     * Encrypts the next 1 to 4 messages on the sender's current chain and delivers them shuffled;
     * now and then one is held back behind the next one or two chunks, which by then may be on a
     * new chain (after the sender read a reply), so the receiver keeps skipped keys across DH steps.
     */
    private void generateChunk() throws Exception {
        List<Envelope> chunk = new ArrayList<>();
        int size = Math.min(1 + random.nextInt(4), MESSAGES - generated);
        for (int i = 0; i < size; i++) {
            generated++;
            chunk.add(new Envelope(generated, bob.encrypt(ReceivingWriter.text(generated).getBytes(UTF_8))));
        }
        Collections.shuffle(chunk, random);
        List<Held> released = new ArrayList<>();
        for (Held held : heldBack) {
            if (--held.chunksToWait <= 0 || generated == MESSAGES) {
                released.add(held);
            }
        }
        heldBack.removeAll(released);
        for (Envelope envelope : chunk) {
            if (generated < MESSAGES && random.nextInt(8) == 0) {
                heldBack.add(new Held(envelope, 1 + random.nextInt(2)));
            } else {
                deliver(envelope);
            }
        }
        released.forEach(h -> deliver(h.envelope));
    }

    private void deliver(Envelope envelope) {
        if (!delivery.isEmpty() && envelope.n() < delivery.get(delivery.size() - 1).n()) {
            outOfOrder++;
        }
        delivery.add(envelope);
    }

    // one run of the receiver

    private final class Run {
        private final KillPlan plan;
        private ChildJvm child;
        private int sent;
        private int acks;
        private int begins;
        private boolean killed;
        private boolean quitSent;
        private long startedAt;
        private long killAt = Long.MAX_VALUE;

        Run(KillPlan plan) {
            this.plan = plan;
        }

        /** Runs the child until the plan kills it (or, for the final run, until every message is stored). */
        Optional<Long> go() throws Exception {
            Optional<Long> readyAfter = Optional.empty();
            startedAt = System.nanoTime();
            child = ChildJvm.start(ReceivingWriter.class, List.of(profile.toString()), List.of(), Map.of(),
                    root.resolve("child-" + runs + ".err"));
            try {
                if (plan.moment().equals("while-starting")) {
                    killAt = startedAt + plan.delayNanos();
                }
                // A restarted receiver gets everything not yet answered, in delivery order.
                sent = answered;
                sendNew();
                while (true) {
                    if (!killed && killAt != Long.MAX_VALUE && System.nanoTime() >= killAt) {
                        kill();
                        continue;
                    }
                    long wait = killed || killAt == Long.MAX_VALUE ? SILENCE.toNanos()
                            : Math.max(1, killAt - System.nanoTime());
                    Optional<String> next = child.poll(Duration.ofNanos(wait));
                    if (next.isEmpty()) {
                        if (killed || killAt == Long.MAX_VALUE) {
                            throw new AssertionError("the receiver said nothing for " + SILENCE.toSeconds() + " s"
                                    + " (run " + runs + ", plan " + plan + ", killed " + killed + ", answered " + answered
                                    + " of " + delivery.size() + " delivered, " + generated + " generated)"
                                    + child.stderrText());
                        }
                        continue; // the kill moment has come
                    }
                    String line = next.get();
                    if (line.equals(ChildJvm.EOF)) {
                        if (!killed && !quitSent) {
                            throw new AssertionError("the receiver died on its own (exit "
                                    + child.waitForExit(SILENCE) + ")" + child.stderrText());
                        }
                        if (quitSent) {
                            assertThat(child.waitForExit(SILENCE)).as("receiver exit code" + child.stderrText()).isZero();
                        }
                        return readyAfter;
                    }
                    if (line.equals("READY")) {
                        readyAfter = Optional.of(System.nanoTime() - startedAt);
                        if (plan.moment().equals("while-receiving")) {
                            killAt = System.nanoTime() + plan.delayNanos();
                        }
                        endIfAllAnswered();
                    } else if (line.equals("BYE")) {
                        assertThat(quitSent).isTrue();
                    } else {
                        handle(line);
                    }
                }
            } finally {
                child.close();
            }
        }

        private void handle(String line) throws Exception {
            log("  < " + (line.length() > 40 ? line.substring(0, 40) + "..." : line));
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "ACK", "DUP" -> {
                    int n = Integer.parseInt(parts[1]);
                    assertThat(answered).as("an answer for a message not delivered: " + line).isLessThan(delivery.size());
                    assertThat(n).as("answers come in delivery order").isEqualTo(delivery.get(answered).n());
                    if (parts[0].equals("ACK")) {
                        assertThat(storedBeforeRun).as("message %d was already stored, yet the ratchet accepted it"
                                + " again", n).doesNotContain(n);
                        acks++;
                        if (plan != KillPlan.NEVER) {
                            ackedInKilledRuns++;
                        }
                    } else {
                        assertThat(storedBeforeRun).as("message %d refused as a duplicate but never stored: lost", n)
                                .contains(n);
                        duplicatesRefused++;
                    }
                    answered++;
                    inFlight = -1;
                    if (!killed) {
                        ensureBacklog();
                        sendNew();
                        if (plan.moment().equals("after-ack") && acks == plan.nth()) {
                            kill();
                        }
                    }
                }
                case "BEGIN" -> {
                    begins++;
                    inFlight = Integer.parseInt(parts[1]);
                    if (!killed && plan.moment().equals("mid-message") && begins == plan.nth()) {
                        // somewhere in decrypting, storing or committing this message
                        killAt = System.nanoTime() + plan.delayNanos();
                    }
                }
                case "REPLY" -> {
                    String text = new String(bob.decrypt(Base64.getDecoder().decode(parts[2])), UTF_8);
                    assertThat(text).isEqualTo(ReceivingWriter.replyText(Integer.parseInt(parts[1])));
                    repliesRead++;
                }
                default -> throw new AssertionError("the receiver said: " + line + child.stderrText());
            }
            endIfAllAnswered();
        }

        /** With every message answered, the final run quits cleanly and a run meant to be killed is killed now. */
        private void endIfAllAnswered() throws InterruptedException {
            if (killed || quitSent || answered < MESSAGES) {
                return;
            }
            if (plan == KillPlan.NEVER) {
                quitSent = child.send("QUIT");
            } else {
                idleKills++;
                kill();
            }
        }

        private void sendNew() {
            if (killed) {
                return;
            }
            while (sent < delivery.size()) {
                Envelope e = delivery.get(sent++);
                child.send("MSG " + e.n() + " " + Base64.getEncoder().encodeToString(e.wire()));
            }
        }

        /** SIGKILL; lines the child printed before it died still count (they were printed after their commit). */
        private void kill() throws InterruptedException {
            log("  SIGKILL (answered " + answered + ")");
            child.kill();
            killed = true;
        }
    }

    // checks

    /**
     * Opens a copy of what the killed receiver left (database and WAL; the shared-memory index is
     * rebuilt from them, as after a reboot) and checks it.
     */
    private void checkCrashImage() throws Exception {
        Path image = Files.createDirectories(root.resolve("image-" + kills));
        Path db = profile.resolve(ProfileStore.DATABASE_FILE);
        Files.copy(db, image.resolve(ProfileStore.DATABASE_FILE));
        Path wal = Path.of(db + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, image.resolve(ProfileStore.DATABASE_FILE + "-wal"));
        }
        try (ProfileStore store = ProfileStore.open(image, Clock.systemUTC())) {
            store.unlock(ReceivingWriter.PASSPHRASE.toCharArray());
            assertThat(integrityCheck(store)).as("SQLite integrity check after kill %d", kills).isEqualTo("ok");
            List<Integer> stored = storedNumbers(store);
            log("image " + kills + ": " + stored.size() + " stored, " + answered + " answered");
            assertThat(new HashSet<>(stored)).as("no message stored twice after kill %d", kills).hasSameSizeAs(stored);
            assertThat(stored).as("stored messages after kill %d are the first ones delivered, in order", kills)
                    .isEqualTo(delivery.subList(0, Math.min(stored.size(), delivery.size())).stream()
                            .map(Envelope::n).toList());
            assertThat(stored.size()).as("every acknowledged message survived kill %d", kills)
                    .isGreaterThanOrEqualTo(answered);
            assertThat(stored.size()).as("at most one message committed without its acknowledgement")
                    .isLessThanOrEqualTo(answered + 1);
            if (stored.size() > answered) {
                committedUnacknowledged.add(stored.get(answered));
            } else if (inFlight != -1) {
                rolledBack++;
            }
            storedBeforeRun = Set.copyOf(stored);

            // The ratchet state on disk is consistent with the messages: it refuses the stored ones
            // and reads the next one.
            SessionCipher alice = new SessionCipher(store.protocolState(), ReceivingWriter.SENDER);
            long conversation = store.conversations().find(ReceivingWriter.SENDER.name()).orElseThrow();
            if (!stored.isEmpty()) {
                Envelope last = delivery.get(stored.size() - 1);
                assertThat(ReceivingWriter.receive(store, alice, conversation, last.n(), last.wire()))
                        .as("redelivered message %d after kill %d", last.n(), kills).isEqualTo(Outcome.DUPLICATE);
            }
            if (stored.size() < delivery.size()) {
                Envelope next = delivery.get(stored.size());
                assertThat(ReceivingWriter.receive(store, alice, conversation, next.n(), next.wire()))
                        .as("next message %d after kill %d", next.n(), kills).isEqualTo(Outcome.STORED);
            }
        }
    }

    private void checkFinalStore() throws Exception {
        assertThat(generated).isEqualTo(MESSAGES);
        assertThat(delivery).hasSize(MESSAGES);
        assertThat(answered).isEqualTo(MESSAGES);
        assertThat(Path.of(profile.resolve(ProfileStore.DATABASE_FILE) + "-wal"))
                .as("a clean close checkpoints and removes the WAL").doesNotExist();
        try (ProfileStore store = ProfileStore.open(profile, Clock.systemUTC())) {
            store.unlock(ReceivingWriter.PASSPHRASE.toCharArray());
            assertThat(integrityCheck(store)).isEqualTo("ok");
            List<StoredMessage> all = new ArrayList<>();
            store.messages().forEach(0, 64, all::add);
            assertThat(all).noneMatch(StoredMessage::isDamaged);
            assertThat(all).extracting(ReceivingWriter::number)
                    .as("every message stored exactly once, in delivery order")
                    .isEqualTo(delivery.stream().map(Envelope::n).toList());
            assertThat(all).allSatisfy(m -> assertThat(m.body().text()).isEqualTo(ReceivingWriter.text(
                    ReceivingWriter.number(m))));
            assertThat(new HashSet<>(all.stream().map(ReceivingWriter::number).toList())).hasSize(MESSAGES);

            // The session still works both ways after all those kills.
            SessionCipher alice = new SessionCipher(store.protocolState(), ReceivingWriter.SENDER);
            assertThat(new String(bob.decrypt(alice.encrypt("still here".getBytes(UTF_8))), UTF_8))
                    .isEqualTo("still here");
            long conversation = store.conversations().find(ReceivingWriter.SENDER.name()).orElseThrow();
            assertThat(ReceivingWriter.receive(store, alice, conversation, MESSAGES + 1,
                    bob.encrypt(ReceivingWriter.text(MESSAGES + 1).getBytes(UTF_8)))).isEqualTo(Outcome.STORED);
        }
    }

    private static List<Integer> storedNumbers(ProfileStore store) throws StoreException {
        List<Integer> out = new ArrayList<>();
        store.messages().forEach(0, 64, m -> {
            assertThat(m.isDamaged()).as("message row %d damaged", m.id()).isFalse();
            out.add(ReceivingWriter.number(m));
        });
        return out;
    }

    private static String integrityCheck(ProfileStore store) throws StoreException {
        return pragma(store, "integrity_check");
    }
}
