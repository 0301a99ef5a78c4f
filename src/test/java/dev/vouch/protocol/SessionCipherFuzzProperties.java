package dev.vouch.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import dev.vouch.testing.Fuzz.Sample;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes {@link SessionCipher#decrypt} with 10,000 hostile inputs: random bytes, random bodies
 * behind both message prefixes, and mutations of messages that reach every decryption path of a
 * receiver with a live session (the next message on its chain, one that skips a key, one that
 * starts a new chain, a duplicate, prekey messages that start new sessions with and without a
 * one-time prekey, and the receiver's own message sent back). Every input is refused, only with a
 * checked {@link ProtocolException} of the expected kinds, promptly, and without changing the
 * stored session, the trusted identity or the prekeys.
 */
class SessionCipherFuzzProperties {
    /** A refusal that takes longer than this means the input made the receiver do unbounded work. */
    private static final long DEADLINE_SECONDS = 5;
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "session-cipher-fuzz");
        thread.setDaemon(true); // a hung decryption must not keep the test JVM alive
        return thread;
    });
    private static final Receiver RECEIVER = Receiver.build();

    @Property(tries = 10_000)
    void decryptRefusesHostileInputWithATypedExceptionAndChangesNothing(@ForAll("hostileMessages") Case input)
            throws Exception {
        Snapshot before = RECEIVER.snapshot();
        Throwable outcome = decryptWithDeadline(input);
        assertThat(outcome).as("hostile input was accepted: %s", input).isNotNull();
        if (!(outcome instanceof ProtocolException)) {
            throw new AssertionError("unchecked " + outcome.getClass().getName() + " escaped decrypt: " + input, outcome);
        }
        assertThat(outcome).as("refusal type for %s", input).isInstanceOfAny(MalformedDataException.class,
                InvalidMessageException.class, UntrustedIdentityException.class, InvalidPreKeyException.class);
        Statistics.label("outcome").collect(outcome.getClass().getSimpleName());
        assertThat(RECEIVER.snapshot()).as("receiver state after refusing %s", input).isEqualTo(before);
    }

    @Provide
    Arbitrary<Case> hostileMessages() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Fuzz.randomBytes(2 * 1600)),
                Tuple.of(1, Fuzz.randomBody(Tag.RATCHET_MESSAGE, 600)),
                Tuple.of(1, Fuzz.randomBody(Tag.PREKEY_MESSAGE, 1600)),
                Tuple.of(5, Fuzz.mutationsOf(RECEIVER.messages())),
                Tuple.of(5, Fuzz.sameLengthMutationsOf(RECEIVER.messages())));
    }

    private static Throwable decryptWithDeadline(Case input) throws InterruptedException {
        byte[] bytes = input.bytes().clone();
        Future<byte[]> result = WORKER.submit(() -> RECEIVER.bob().cipherFor(RECEIVER.alice()).decrypt(bytes));
        try {
            result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + DEADLINE_SECONDS + " s: " + input);
        }
    }

    /** What a refused message must leave untouched on the receiving side (the session as hex). */
    private record Snapshot(String session, Optional<DeviceIdentityKey> identity, List<Boolean> preKeysHeld) {
    }

    /**
     * Bob, with a session with Alice in which he has read her first message, and messages from
     * Alice he has not read yet, each reaching a different path of decryption.
     */
    private record Receiver(Party alice, Party bob, List<Sample> messages, List<Integer> oneTimeIds, List<Integer> kemIds) {
        static Receiver build() {
            try {
                SecureRandom random = new SecureRandom();
                Party alice = new Party("alice", 1, random);
                Party bob = new Party("bob", 1, random);
                List<Integer> oneTimeIds = new ArrayList<>();
                List<Integer> kemIds = new ArrayList<>();
                List<Sample> messages = new ArrayList<>();

                alice.builderFor(bob).process(remember(bob.bundle(), oneTimeIds, kemIds));
                byte[] first = alice.cipherFor(bob).encrypt("first".getBytes(UTF_8));
                bob.cipherFor(alice).decrypt(first);
                messages.add(Encodings.preKeyMessage("already read prekey message (a duplicate)", first));
                messages.add(Encodings.preKeyMessage("next prekey message on the current chain", alice.cipherFor(bob).encrypt(new byte[] {1})));
                messages.add(Encodings.preKeyMessage("prekey message skipping one key", alice.cipherFor(bob).encrypt(new byte[300])));
                byte[] fromBob = bob.cipherFor(alice).encrypt(new byte[] {2});
                alice.cipherFor(bob).decrypt(fromBob);
                messages.add(Encodings.ratchetMessage("bob's own message sent back to him", fromBob));
                messages.add(Encodings.ratchetMessage("ratchet message starting a new chain, two keys skipped on the old one",
                        alice.cipherFor(bob).encrypt(new byte[] {3})));
                messages.add(Encodings.ratchetMessage("second message on the new chain", alice.cipherFor(bob).encrypt(new byte[] {4})));

                alice.builderFor(bob).process(remember(bob.bundle(), oneTimeIds, kemIds));
                messages.add(Encodings.preKeyMessage("prekey message starting a new session with a one-time prekey",
                        alice.cipherFor(bob).encrypt(new byte[] {5})));
                alice.builderFor(bob).process(remember(bob.lastResortBundle(), oneTimeIds, kemIds));
                messages.add(Encodings.preKeyMessage("prekey message starting a new session from the last-resort bundle",
                        alice.cipherFor(bob).encrypt(new byte[] {6})));
                return new Receiver(alice, bob, List.copyOf(messages), oneTimeIds, kemIds);
            } catch (ProtocolException e) {
                throw new AssertionError("setting up the receiver must succeed", e);
            }
        }

        Snapshot snapshot() {
            List<Boolean> held = new ArrayList<>();
            oneTimeIds.forEach(id -> held.add(bob.store().loadOneTimePreKey(id).isPresent()));
            kemIds.forEach(id -> held.add(bob.store().loadKemPreKey(id).isPresent()));
            String session = bob.store().rawSession(alice.address()).map(HexFormat.of()::formatHex).orElse("none");
            return new Snapshot(session, bob.store().identity(alice.address()), held);
        }

        private static PreKeyBundle remember(PreKeyBundle bundle, List<Integer> oneTimeIds, List<Integer> kemIds) {
            bundle.oneTimePreKey().ifPresent(k -> oneTimeIds.add(k.id()));
            kemIds.add(bundle.kemPreKey().id());
            return bundle;
        }

    }
}
