package dev.vouch.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vouch.protocol.message.CiphertextMessage;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.ratchet.SessionState;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving limits of the Double Ratchet at their exact boundaries: {@link SessionState#MAX_SKIP}
 * skipped keys per message, and {@link SessionState#MAX_RETIRED_RECEIVING_KEYS} ended chains
 * remembered for replay detection. Every refusal must leave the stored session byte for byte as it was.
 */
class RatchetLimitsTest {
    private final SecureRandom random = new SecureRandom();
    private Party alice;
    private Party bob;

    /**
     * Sets up a session and a round trip and a half: alice's next messages continue the chain bob
     * receives on, and her first message after reading from bob starts a new one.
     */
    @BeforeEach
    void establish() throws Exception {
        alice = new Party("alice", 1, random);
        bob = new Party("bob", 1, random);
        alice.builderFor(bob).process(bob.bundle());
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {0}));
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
    }

    @Test
    void skippingExactlyMaxSkipKeysOnTheCurrentChainIsAccepted() throws Exception {
        List<byte[]> sent = aliceSends(SessionState.MAX_SKIP + 1);
        assertThat(bobDecrypts(sent.get(SessionState.MAX_SKIP))).isEqualTo(plaintext(SessionState.MAX_SKIP));
        // The skipped keys were kept: the first and the last skipped message still decrypt.
        assertThat(bobDecrypts(sent.get(0))).isEqualTo(plaintext(0));
        assertThat(bobDecrypts(sent.get(SessionState.MAX_SKIP - 1))).isEqualTo(plaintext(SessionState.MAX_SKIP - 1));
    }

    @Test
    void skippingOneKeyMoreThanMaxSkipIsRefusedAndChangesNothing() throws Exception {
        List<byte[]> sent = aliceSends(SessionState.MAX_SKIP + 2);
        assertRefusedUnchanged(sent.get(SessionState.MAX_SKIP + 1));
        // The refusal did not damage the session: the message that skips exactly MAX_SKIP keys is read.
        assertThat(bobDecrypts(sent.get(SessionState.MAX_SKIP))).isEqualTo(plaintext(SessionState.MAX_SKIP));
    }

    @Test
    void keysSkippedOnTheEndedChainAndOnTheNewChainCountTogether() throws Exception {
        int onOldChain = SessionState.MAX_SKIP / 2;
        List<byte[]> oldChain = aliceSends(onOldChain); // never delivered: skipped when the chain ends
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {1})); // alice ratchets
        List<byte[]> newChain = aliceSends(SessionState.MAX_SKIP - onOldChain + 2);
        // Counter MAX_SKIP - onOldChain + 1 on the new chain: onOldChain + that many keys skipped, one too many.
        assertRefusedUnchanged(newChain.get(SessionState.MAX_SKIP - onOldChain + 1));
        // Exactly MAX_SKIP in total is accepted.
        assertThat(bobDecrypts(newChain.get(SessionState.MAX_SKIP - onOldChain)))
                .isEqualTo(plaintext(SessionState.MAX_SKIP - onOldChain));
        assertThat(bobDecrypts(oldChain.get(0))).isEqualTo(plaintext(0));
    }

    /**
     * Regression: the bound was computed in int, so a counter near Integer.MAX_VALUE on a new
     * chain, plus at least one key skipped on the ended chain, wrapped around to a negative count
     * and passed it. The receiver then derived keys towards 2^31 (hanging, then running out of
     * memory) before any authentication, so anyone able to send bytes could stop a device.
     */
    @Test
    void aForgedHugeCounterOnANewChainIsRefusedAtOnce() throws Exception {
        aliceSends(1); // lost, so that the new chain's previous counter skips a key on the ended one
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {1}));
        RatchetMessage honest = (RatchetMessage) CiphertextMessage.decode(aliceSends(1).get(0));
        for (int counter : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MAX_VALUE - SessionState.MAX_SKIP}) {
            byte[] forged = new RatchetMessage(honest.ratchetKey(), honest.previousCounter(), counter,
                    honest.ciphertext()).serialize();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertRefusedUnchanged(forged),
                    "counter " + counter + " must be refused before any key is derived");
        }
        byte[] hugePrevious = new RatchetMessage(honest.ratchetKey(), Integer.MAX_VALUE, 0, honest.ciphertext()).serialize();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertRefusedUnchanged(hugePrevious));
        assertThat(bobDecrypts(honest.serialize())).isEqualTo(plaintext(0));
    }

    @Test
    void aForgedHugeCounterOnTheCurrentChainIsRefusedAtOnce() throws Exception {
        RatchetMessage honest = (RatchetMessage) CiphertextMessage.decode(aliceSends(1).get(0));
        byte[] forged = new RatchetMessage(honest.ratchetKey(), honest.previousCounter(), Integer.MAX_VALUE,
                honest.ciphertext()).serialize();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertRefusedUnchanged(forged));
    }

    @Test
    void aReplayFromTheOldestRememberedChainIsADuplicate() throws Exception {
        byte[] first = aliceSends(1).get(0);
        bobDecrypts(first);
        pingPong(SessionState.MAX_RETIRED_RECEIVING_KEYS);
        byte[] before = rawSession();
        assertThatThrownBy(() -> bob.cipherFor(alice).decrypt(first)).isInstanceOf(DuplicateMessageException.class);
        assertThat(rawSession()).isEqualTo(before);
    }

    /**
     * The documented limit: once a chain is more than {@value SessionState#MAX_RETIRED_RECEIVING_KEYS}
     * ratchet steps old, its key is forgotten, a replay of one of its messages looks like the
     * start of an unknown chain and fails authentication. It is still refused and changes nothing,
     * but only as an {@link InvalidMessageException}; the property tests accept the weaker type in
     * exactly this case. This test pins the boundary on both sides (64 chains back: duplicate; 65:
     * not recognised), so the property's model of "forgotten" cannot drift from the code; if replay
     * detection ever reaches further, change both.
     */
    @Test
    void aReplayFromAForgottenChainIsStillRefusedButOnlyAsInvalid() throws Exception {
        byte[] first = aliceSends(1).get(0);
        bobDecrypts(first);
        pingPong(SessionState.MAX_RETIRED_RECEIVING_KEYS + 1);
        assertRefusedUnchanged(first);
    }

    /**
     * A session record keeps only {@value SessionRecord#MAX_PREVIOUS_STATES} earlier sessions. A
     * prekey message made from a bundle without one-time prekeys, replayed after its session left
     * the record, must still be refused: the responder remembers which base keys its last-resort
     * ML-KEM prekey already set up sessions with. (With a one-time prekey the replay is refused as
     * {@link InvalidPreKeyException}, the key being gone.)
     */
    @Test
    void aPreKeyMessageReplayedAfterItsSessionWasEvictedIsRefused() throws Exception {
        Party carol = new Party("carol", 1, random);
        carol.builderFor(bob).process(bob.lastResortBundle());
        byte[] first = carol.cipherFor(bob).encrypt("first".getBytes(UTF_8));
        bob.cipherFor(carol).decrypt(first);
        for (int i = 0; i <= SessionRecord.MAX_PREVIOUS_STATES; i++) {
            carol.builderFor(bob).process(bob.lastResortBundle());
            bob.cipherFor(carol).decrypt(carol.cipherFor(bob).encrypt(new byte[] {(byte) i}));
        }
        byte[] before = bob.store().rawSession(carol.address()).orElseThrow();
        assertThatThrownBy(() -> bob.cipherFor(carol).decrypt(first)).isInstanceOf(DuplicateMessageException.class);
        assertThat(bob.store().rawSession(carol.address()).orElseThrow()).isEqualTo(before);
    }

    /** {@code rounds} times: bob answers, alice reads it and sends on a new chain, bob reads that. */
    private void pingPong(int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {2}));
            bobDecrypts(alice.cipherFor(bob).encrypt(new byte[] {3}));
        }
    }

    private List<byte[]> aliceSends(int count) throws Exception {
        List<byte[]> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sent.add(alice.cipherFor(bob).encrypt(plaintext(i)));
        }
        return sent;
    }

    private static byte[] plaintext(int i) {
        return ("message " + i).getBytes(UTF_8);
    }

    private byte[] bobDecrypts(byte[] message) throws ProtocolException {
        return bob.cipherFor(alice).decrypt(message);
    }

    private byte[] rawSession() {
        return bob.store().rawSession(alice.address()).orElseThrow();
    }

    /** Refused as an invalid message, not recognised as a duplicate; the stored session unchanged. */
    private void assertRefusedUnchanged(byte[] message) {
        byte[] before = rawSession();
        assertThatThrownBy(() -> bobDecrypts(message))
                .isExactlyInstanceOf(InvalidMessageException.class);
        assertThat(rawSession()).isEqualTo(before);
    }
}
