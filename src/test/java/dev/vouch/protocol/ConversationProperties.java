package dev.vouch.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.message.CiphertextMessage;
import dev.vouch.protocol.message.PreKeyMessage;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.ratchet.SessionState;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Two devices talking over a hostile network, under schedules jqwik generates and shrinks:
 * random interleaving of who sends, delivery of any message in flight (reordering), loss,
 * duplication, replay of delivered messages, tampering (a bit flipped anywhere, truncation,
 * appended bytes), and new sessions started in the middle. Session setup is part of every
 * schedule: it starts from a bundle with one-time prekeys, from a bundle without them, or from
 * both sides at once.
 *
 * <p>Checked after every step: each untampered message decrypts exactly once, on its first
 * delivery, to its plaintext; every later delivery of it is refused as a
 * {@link DuplicateMessageException}; every tampered message is refused with a checked exception
 * of an allowed kind; and any refusal leaves the receiver's stored session and trusted identity
 * byte for byte as they were. After the schedule, whatever is still in flight is delivered and
 * both sides must still be able to talk.
 *
 * <p>Bounds the schedules stay within, each the protocol's documented limit:
 * <ul>
 *   <li>A schedule has at most 400 steps and sends at most two messages per step, so no
 *       message can skip more than {@link SessionState#MAX_SKIP} keys and no more than
 *       {@link SessionState#MAX_STORED_SKIPPED_KEYS} are ever stored (checked before each run);
 *       {@link RatchetLimitsTest} checks those limits at their boundaries.</li>
 *   <li>At most {@value #MAX_RESTARTS} new sessions are started after setup, so each side holds
 *       at most 2 + {@value #MAX_RESTARTS} sessions with the other and none is evicted from its
 *       {@link SessionRecord} (current plus {@value SessionRecord#MAX_PREVIOUS_STATES}
 *       previous). Past that bound a replayed prekey message from a last-resort bundle is
 *       accepted again; see {@link RatchetLimitsTest}.</li>
 *   <li>Replay detection remembers {@value SessionState#MAX_RETIRED_RECEIVING_KEYS} ended
 *       receiving chains per session. A duplicate of a message whose chain is older than that
 *       (its ratchet key followed by more than that many newer ones in the same session, which
 *       the model tracks exactly) can only be refused as a plain {@link InvalidMessageException}:
 *       the receiver no longer knows the key and the message fails authentication as the start of
 *       an unknown chain. Only in that case is the weaker type accepted.</li>
 * </ul>
 *
 * <p>Schedules are reproducible from jqwik's printed seed; key material is fresh each run and
 * does not influence any expected outcome.
 */
class ConversationProperties {
    /** New sessions started mid-schedule; see the class comment for why this bound. */
    static final int MAX_RESTARTS = SessionRecord.MAX_PREVIOUS_STATES + 1 - 2;

    enum Setup { ONE_TIME_PREKEYS, LAST_RESORT, SIMULTANEOUS }

    enum Kind { ALICE_SENDS, BOB_SENDS, DELIVER, DROP, DUPLICATE, REPLAY, TAMPER, RESTART, EXCHANGE }

    /** One step of a schedule; a, b and c select messages, positions and contents, reduced modulo what they index. */
    record Step(Kind kind, int a, int b, int c) {
    }

    @Property(tries = 100)
    void everyMessageIsReadExactlyOnceAndEveryRefusalChangesNothing(@ForAll Setup setup,
                                                                     @ForAll("schedules") List<Step> steps)
            throws Exception {
        new World(setup).run(steps);
    }

    /**
     * Both sides start a session at the same moment, each sends before anything arrives, and the
     * schedule goes on from there: both sides must converge on sessions that work.
     */
    @Property(tries = 50)
    void simultaneousInitiationConvergesUnderAnySchedule(@ForAll("schedules") List<Step> steps) throws Exception {
        List<Step> crossing = Stream.concat(
                Stream.of(new Step(Kind.ALICE_SENDS, 3, 1, 0), new Step(Kind.BOB_SENDS, 4, 2, 0)),
                steps.stream()).toList();
        new World(Setup.SIMULTANEOUS).run(crossing);
    }

    /**
     * Long conversations of many quick exchanges, each a ratchet step on both sides, with replays
     * of anything read before: old enough replays reach past the
     * {@value SessionState#MAX_RETIRED_RECEIVING_KEYS} remembered chains.
     */
    @Property(tries = 20)
    void replaysAreRefusedHoweverLongAgoTheMessageWasRead(@ForAll Setup setup,
                                                         @ForAll("longConversations") List<Step> steps)
            throws Exception {
        new World(setup).run(steps);
    }

    @Provide
    Arbitrary<List<Step>> longConversations() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Kind.EXCHANGE)),
                Tuple.of(3, Arbitraries.just(Kind.ALICE_SENDS)),
                Tuple.of(3, Arbitraries.just(Kind.BOB_SENDS)),
                Tuple.of(5, Arbitraries.just(Kind.DELIVER)),
                Tuple.of(6, Arbitraries.just(Kind.REPLAY)),
                Tuple.of(1, Arbitraries.just(Kind.TAMPER)),
                Tuple.of(1, Arbitraries.just(Kind.DROP)));
        return steps(kinds, 300, 400);
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just(Kind.ALICE_SENDS)),
                Tuple.of(12, Arbitraries.just(Kind.BOB_SENDS)),
                Tuple.of(30, Arbitraries.just(Kind.DELIVER)),
                Tuple.of(3, Arbitraries.just(Kind.DROP)),
                Tuple.of(4, Arbitraries.just(Kind.DUPLICATE)),
                Tuple.of(4, Arbitraries.just(Kind.REPLAY)),
                Tuple.of(8, Arbitraries.just(Kind.TAMPER)),
                Tuple.of(1, Arbitraries.just(Kind.RESTART)));
        return steps(kinds, 200, 400);
    }

    private static Arbitrary<List<Step>> steps(Arbitrary<Kind> kinds, int minSize, int maxSize) {
        // Uniform, without jqwik's bias towards small numbers and its mixed-in edge cases (0, 1,
        // 2...): tampering should hit any byte as often as the version byte, and deliveries pick
        // any message in flight. Shrinking still goes towards 0.
        Arbitrary<Integer> selector = Arbitraries.integers().between(0, 1 << 20)
                .withDistribution(RandomDistribution.uniform())
                .edgeCases(config -> config.none());
        return Combinators.combine(kinds, selector, selector, selector).as(Step::new)
                .list().ofMinSize(minSize).ofMaxSize(maxSize);
    }

    /** A message as sent, with what the model needs to judge its deliveries. */
    private record Sent(int id, Party from, Party to, byte[] plaintext, byte[] wire, String session, String ratchetKey) {
    }

    /** A copy on the network: the original bytes, or tampered ones (then {@code tampering} says how). */
    private record InFlight(Sent message, byte[] bytes, String tampering) {
        @Override
        public String toString() {
            return "message " + message.id() + " " + message.from().address() + "->" + message.to().address()
                    + (tampering == null ? "" : " tampered by " + tampering);
        }
    }

    private static final class World {
        private final SecureRandom random = new SecureRandom();
        private final Party alice = new Party("alice", 1, random);
        private final Party bob = new Party("bob", 1, random);
        private final Map<Party, Boolean> hasSession = new IdentityHashMap<>();
        private final List<Sent> sent = new ArrayList<>();
        private final List<InFlight> inFlight = new ArrayList<>();
        private final Set<Integer> delivered = new HashSet<>();
        /** Per receiver and session (base key), the sender's ratchet keys in the order the receiver first used them. */
        private final Map<Party, Map<String, List<String>>> ratchetKeysSeen = new IdentityHashMap<>();
        private int restarts;
        private int step;

        World(Setup setup) throws ProtocolException {
            hasSession.put(alice, true);
            hasSession.put(bob, false);
            alice.builderFor(bob).process(setup == Setup.LAST_RESORT ? bob.lastResortBundle() : bob.bundle());
            if (setup == Setup.SIMULTANEOUS) {
                bob.builderFor(alice).process(alice.bundle());
                hasSession.put(bob, true);
            }
            ratchetKeysSeen.put(alice, new HashMap<>());
            ratchetKeysSeen.put(bob, new HashMap<>());
        }

        void run(List<Step> steps) throws ProtocolException {
            assertThat(2 * steps.size() + 3).as("messages a schedule can send").isLessThanOrEqualTo(
                    Math.min(SessionState.MAX_SKIP, SessionState.MAX_STORED_SKIPPED_KEYS));
            for (Step s : steps) {
                step++;
                switch (s.kind()) {
                    case ALICE_SENDS -> send(alice, bob, s);
                    case BOB_SENDS -> send(bob, alice, s);
                    case DELIVER -> {
                        if (!inFlight.isEmpty()) {
                            deliver(inFlight.remove(Math.floorMod(s.a(), inFlight.size())));
                        }
                    }
                    case DROP -> {
                        if (!inFlight.isEmpty()) {
                            inFlight.remove(Math.floorMod(s.a(), inFlight.size()));
                            Statistics.label("events").collect("dropped");
                        }
                    }
                    case DUPLICATE -> {
                        if (!inFlight.isEmpty()) {
                            InFlight copy = inFlight.get(Math.floorMod(s.a(), inFlight.size()));
                            enqueue(new InFlight(copy.message(), copy.bytes().clone(), copy.tampering()), s.b());
                        }
                    }
                    case REPLAY -> {
                        List<Sent> read = sent.stream().filter(m -> delivered.contains(m.id())).toList();
                        if (!read.isEmpty()) {
                            Sent m = read.get(Math.floorMod(s.a(), read.size()));
                            enqueue(new InFlight(m, m.wire().clone(), null), s.b());
                        }
                    }
                    case TAMPER -> {
                        if (!inFlight.isEmpty() && Math.floorMod(s.c(), 8) < 4) {
                            // on the way: the original is replaced, so it is lost
                            InFlight victim = inFlight.remove(Math.floorMod(s.a(), inFlight.size()));
                            tamper(victim, s);
                        } else if (!sent.isEmpty()) {
                            // a forged copy of anything sent before
                            Sent m = sent.get(Math.floorMod(s.a(), sent.size()));
                            tamper(new InFlight(m, m.wire(), null), s);
                        }
                    }
                    case RESTART -> restart(s);
                    case EXCHANGE -> {
                        exchange(alice, bob, s);
                        exchange(bob, alice, s);
                    }
                    default -> throw new AssertionError(s);
                }
            }
            step++;
            while (!inFlight.isEmpty()) {
                deliver(inFlight.remove(0));
            }
            // Liveness: after any schedule the two can still talk, in both directions.
            roundTrip(alice, bob);
            roundTrip(bob, alice);
            roundTrip(alice, bob);
        }

        private void send(Party from, Party to, Step s) throws ProtocolException {
            byte[] plaintext = plaintext(s);
            if (!hasSession.get(from)) {
                assertThatThrownBy(() -> from.cipherFor(to).encrypt(plaintext))
                        .as("step %d: %s has no session yet", step, from.address())
                        .isInstanceOf(NoSessionException.class);
                return;
            }
            String session = hex(from.store().loadSession(to.address()).orElseThrow().current().baseKey());
            byte[] wire = from.cipherFor(to).encrypt(plaintext);
            CiphertextMessage decoded = CiphertextMessage.decode(wire);
            RatchetMessage inner = decoded instanceof PreKeyMessage p ? p.message() : (RatchetMessage) decoded;
            Sent m = new Sent(sent.size(), from, to, plaintext, wire, session, hex(inner.ratchetKey()));
            sent.add(m);
            inFlight.add(new InFlight(m, wire.clone(), null));
            Statistics.label("events").collect(decoded instanceof PreKeyMessage ? "sent prekey message" : "sent ratchet message");
        }

        /** Sends one message and delivers it at once. */
        private void exchange(Party from, Party to, Step s) throws ProtocolException {
            int before = inFlight.size();
            send(from, to, s);
            if (inFlight.size() > before) {
                deliver(inFlight.remove(inFlight.size() - 1));
            }
        }

        /** Mostly short texts; one in four up to 700 bytes, crossing the 256 and 512 byte padding buckets. */
        private static byte[] plaintext(Step s) {
            Random content = new Random(s.b());
            int length = Math.floorMod(s.a(), 4) == 0 ? content.nextInt(701) : content.nextInt(41);
            byte[] out = new byte[length];
            content.nextBytes(out);
            return out;
        }

        private void enqueue(InFlight copy, int position) {
            inFlight.add(Math.floorMod(position, inFlight.size() + 1), copy);
        }

        /** Flips a bit, truncates or appends; a second change that restores the original makes it untampered again. */
        private void tamper(InFlight original, Step s) {
            Sent m = original.message();
            byte[] wire = original.bytes();
            byte[] tampered;
            String how;
            switch (wire.length == 0 ? 3 : Math.floorMod(s.c(), 4)) { // nothing left to flip or cut: append
                case 0, 1 -> {
                    int bit = Math.floorMod(s.b(), wire.length * 8);
                    tampered = wire.clone();
                    tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                    how = "flipping bit " + bit;
                }
                case 2 -> {
                    int length = Math.floorMod(s.b(), wire.length);
                    tampered = Arrays.copyOf(wire, length);
                    how = "truncating to " + length + " of " + wire.length + " bytes";
                }
                default -> {
                    int extra = 1 + Math.floorMod(s.b(), 32);
                    tampered = Arrays.copyOf(wire, wire.length + extra);
                    Arrays.fill(tampered, wire.length, tampered.length, (byte) s.c());
                    how = "appending " + extra + " bytes";
                }
            }
            if (original.tampering() != null) {
                how = original.tampering() + ", then " + how;
            }
            enqueue(new InFlight(m, tampered, Arrays.equals(tampered, m.wire()) ? null : how), s.a());
            Statistics.label("events").collect("tampered");
        }

        private void restart(Step s) throws ProtocolException {
            if (restarts == MAX_RESTARTS) {
                return;
            }
            restarts++;
            Party from = Math.floorMod(s.a(), 2) == 0 ? alice : bob;
            Party to = from == alice ? bob : alice;
            from.builderFor(to).process(Math.floorMod(s.b(), 2) == 0 ? to.bundle() : to.lastResortBundle());
            hasSession.put(from, true);
            Statistics.label("events").collect("new session started mid-schedule");
        }

        private void deliver(InFlight x) {
            Party to = x.message().to();
            Party from = x.message().from();
            Optional<String> sessionBefore = to.store().rawSession(from.address()).map(World::hex);
            Optional<DeviceIdentityKey> identityBefore = to.store().identity(from.address());
            Set<Class<? extends ProtocolException>> allowedIfTampered = x.tampering() == null ? Set.of() : allowedRefusals(x);
            boolean forgotten = isFromAForgottenChain(x.message());
            byte[] plaintext;
            try {
                plaintext = to.cipherFor(from).decrypt(x.bytes().clone());
            } catch (ProtocolException e) {
                assertThat(to.store().rawSession(from.address()).map(World::hex))
                        .as("step %d: stored session after refusing %s", step, x)
                        .isEqualTo(sessionBefore);
                assertThat(to.store().identity(from.address())).as("step %d: trusted identity after refusing %s", step, x)
                        .isEqualTo(identityBefore);
                judgeRefusal(x, e, allowedIfTampered, forgotten);
                return;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("step " + step + ": unchecked " + e + " escaped decrypt of " + x, e);
            }
            assertThat(x.tampering()).as("step %d: tampered message accepted: %s", step, x).isNull();
            assertThat(delivered).as("step %d: message accepted twice: %s", step, x).doesNotContain(x.message().id());
            assertThat(plaintext).as("step %d: plaintext of %s", step, x).isEqualTo(x.message().plaintext());
            delivered.add(x.message().id());
            hasSession.put(to, true);
            List<String> seen = ratchetKeysSeen.get(to).computeIfAbsent(x.message().session(), k -> new ArrayList<>());
            if (!seen.contains(x.message().ratchetKey())) {
                seen.add(x.message().ratchetKey());
            }
            Statistics.label("events").collect("decrypted");
        }

        private void judgeRefusal(InFlight x, ProtocolException e, Set<Class<? extends ProtocolException>> allowedIfTampered,
                                  boolean forgotten) {
            if (x.tampering() != null) {
                assertThat(allowedIfTampered.stream().anyMatch(type -> type.isInstance(e)))
                        .as("step %d: %s refused with %s; allowed: %s", step, x, e, allowedIfTampered)
                        .isTrue();
                Statistics.label("events").collect("tampered refused: " + e.getClass().getSimpleName());
            } else if (!delivered.contains(x.message().id())) {
                throw new AssertionError("step " + step + ": first delivery of untampered " + x + " refused", e);
            } else if (forgotten) {
                assertThat(e).as("step %d: replay from a forgotten chain, %s", step, x).isInstanceOf(InvalidMessageException.class);
                Statistics.label("events").collect("replay from a forgotten chain refused: " + e.getClass().getSimpleName());
            } else {
                assertThat(e).as("step %d: repeated delivery of %s", step, x).isExactlyInstanceOf(DuplicateMessageException.class);
                Statistics.label("events").collect("duplicate refused");
            }
        }

        /**
         * Which refusals a tampered message may get. Bytes that no longer parse are malformed;
         * bytes that parse but were changed fail authentication (or, if the change hit a counter,
         * look like a duplicate or skip too far: both invalid messages). Session setup fields are
         * checked before anything can be authenticated, so a changed prekey message may instead
         * name an identity the receiver does not trust, or prekeys it does not hold; and a
         * ratchet message reaching a receiver with no session at all has no session to read it.
         */
        private Set<Class<? extends ProtocolException>> allowedRefusals(InFlight x) {
            Party to = x.message().to();
            Party from = x.message().from();
            CiphertextMessage decoded;
            try {
                decoded = CiphertextMessage.decode(x.bytes());
            } catch (MalformedDataException e) {
                return Set.of(e.getClass());
            }
            Set<Class<? extends ProtocolException>> allowed = new HashSet<>();
            allowed.add(InvalidMessageException.class);
            Optional<SessionRecord> record = to.store().loadSession(from.address());
            if (decoded instanceof RatchetMessage && record.isEmpty()) {
                allowed.add(NoSessionException.class);
            }
            if (decoded instanceof PreKeyMessage p) {
                if (!to.store().isTrusted(from.address(), p.senderIdentity())) {
                    allowed.add(UntrustedIdentityException.class);
                }
                boolean knownSession = record.flatMap(r -> r.findByBaseKey(p.baseKey())).isPresent();
                boolean missingPreKey = to.store().loadSignedPreKey(p.signedPreKeyId()).isEmpty()
                        || to.store().loadKemPreKey(p.kemPreKeyId()).isEmpty()
                        || (p.oneTimePreKeyId().isPresent()
                            && to.store().loadOneTimePreKey(p.oneTimePreKeyId().getAsInt()).isEmpty());
                if (!knownSession && missingPreKey) {
                    allowed.add(InvalidPreKeyException.class);
                }
            }
            return allowed;
        }

        /**
         * True when the receiver has since used more than MAX_RETIRED_RECEIVING_KEYS newer
         * ratchet keys of the message's session, so it no longer remembers the message's chain.
         */
        private boolean isFromAForgottenChain(Sent m) {
            List<String> seen = ratchetKeysSeen.get(m.to()).getOrDefault(m.session(), List.of());
            int index = seen.indexOf(m.ratchetKey());
            return index >= 0 && seen.size() - 1 - index > SessionState.MAX_RETIRED_RECEIVING_KEYS;
        }

        private void roundTrip(Party from, Party to) throws ProtocolException {
            byte[] plaintext = ("after step " + step).getBytes(UTF_8);
            assertThat(to.cipherFor(from).decrypt(from.cipherFor(to).encrypt(plaintext)))
                    .as("%s -> %s after the schedule", from.address(), to.address())
                    .isEqualTo(plaintext);
            hasSession.put(to, true);
        }

        private static String hex(byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
    }
}
