package dev.vouch.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.message.CiphertextMessage;
import dev.vouch.protocol.message.PreKeyMessage;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final SecureRandom random = new SecureRandom();
    private Party alice;
    private Party bob;

    @BeforeEach
    void setUp() {
        alice = new Party("alice", 1, random);
        bob = new Party("bob", 1, random);
    }

    @Test
    void firstMessagesArePreKeyMessagesUntilTheResponderAnswers() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        byte[] m1 = alice.cipherFor(bob).encrypt("hello".getBytes(UTF_8));
        byte[] m2 = alice.cipherFor(bob).encrypt("again".getBytes(UTF_8));
        assertThat(CiphertextMessage.decode(m1)).isInstanceOf(PreKeyMessage.class);
        assertThat(CiphertextMessage.decode(m2)).isInstanceOf(PreKeyMessage.class);

        assertThat(new String(bob.cipherFor(alice).decrypt(m1), UTF_8)).isEqualTo("hello");
        assertThat(new String(bob.cipherFor(alice).decrypt(m2), UTF_8)).isEqualTo("again");

        byte[] reply = bob.cipherFor(alice).encrypt("hi alice".getBytes(UTF_8));
        assertThat(CiphertextMessage.decode(reply)).isInstanceOf(RatchetMessage.class);
        assertThat(new String(alice.cipherFor(bob).decrypt(reply), UTF_8)).isEqualTo("hi alice");

        byte[] m3 = alice.cipherFor(bob).encrypt("now ratchet".getBytes(UTF_8));
        assertThat(CiphertextMessage.decode(m3)).isInstanceOf(RatchetMessage.class);
        assertThat(new String(bob.cipherFor(alice).decrypt(m3), UTF_8)).isEqualTo("now ratchet");
    }

    @Test
    void oneTimePreKeysAreConsumed() throws Exception {
        var bundle = bob.bundle();
        int oneTimeId = bundle.oneTimePreKey().orElseThrow().id();
        alice.builderFor(bob).process(bundle);
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {1}));
        assertThat(bob.store().loadOneTimePreKey(oneTimeId)).isEmpty();
        assertThat(bob.store().loadKemPreKey(bundle.kemPreKey().id())).isEmpty();
    }

    @Test
    void lastResortBundleWorksAndKeepsTheLastResortKey() throws Exception {
        var bundle = bob.lastResortBundle();
        alice.builderFor(bob).process(bundle);
        assertThat(bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {7}))).containsExactly(7);
        assertThat(bob.store().loadKemPreKey(bundle.kemPreKey().id())).isPresent();
    }

    @Test
    void outOfOrderDeliveryDecryptsEveryMessageOnce() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
        bob.cipherFor(alice).encrypt(new byte[] {0}); // bob sends so that alice's next messages are plain ratchet messages
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {0}));
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(alice.cipherFor(bob).encrypt(("m" + i).getBytes(UTF_8)));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        for (int i : order) {
            assertThat(new String(bob.cipherFor(alice).decrypt(sent.get(i)), UTF_8)).isEqualTo("m" + i);
        }
        for (byte[] message : sent) {
            assertThatThrownBy(() -> bob.cipherFor(alice).decrypt(message)).isInstanceOf(DuplicateMessageException.class);
        }
    }

    @Test
    void tamperedMessageIsRefusedAndLeavesTheSessionUntouched() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
        byte[] message = alice.cipherFor(bob).encrypt("secret".getBytes(UTF_8));
        byte[] before = bob.store().rawSession(alice.address()).orElseThrow();
        for (int i = 0; i < message.length; i += 7) {
            byte[] tampered = message.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> bob.cipherFor(alice).decrypt(tampered)).isInstanceOf(ProtocolException.class);
            assertThat(bob.store().rawSession(alice.address()).orElseThrow()).isEqualTo(before);
        }
        assertThat(new String(bob.cipherFor(alice).decrypt(message), UTF_8)).isEqualTo("secret");
    }

    @Test
    void callbackFailureRollsBackTheRatchetStep() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
        byte[] message = alice.cipherFor(bob).encrypt("store me".getBytes(UTF_8));
        byte[] before = bob.store().rawSession(alice.address()).orElseThrow();
        assertThatThrownBy(() -> bob.cipherFor(alice).decrypt(message, plaintext -> {
            throw new IllegalStateException("disk full");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(bob.store().rawSession(alice.address()).orElseThrow()).isEqualTo(before);
        assertThat(new String(bob.cipherFor(alice).decrypt(message), UTF_8)).isEqualTo("store me");
    }

    @Test
    void simultaneousInitiationConverges() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        bob.builderFor(alice).process(alice.bundle());
        byte[] fromAlice = alice.cipherFor(bob).encrypt("a".getBytes(UTF_8));
        byte[] fromBob = bob.cipherFor(alice).encrypt("b".getBytes(UTF_8));
        assertThat(new String(bob.cipherFor(alice).decrypt(fromAlice), UTF_8)).isEqualTo("a");
        assertThat(new String(alice.cipherFor(bob).decrypt(fromBob), UTF_8)).isEqualTo("b");
        for (int i = 0; i < 5; i++) {
            assertThat(bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {(byte) i}))).containsExactly(i);
            assertThat(alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {(byte) i}))).containsExactly(i);
        }
    }

    @Test
    void changedIdentityIsUntrusted() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        Party impostor = new Party("bob", 1, random);
        assertThatThrownBy(() -> alice.builderFor(impostor).process(impostor.bundle()))
                .isInstanceOf(UntrustedIdentityException.class);
    }

    @Test
    void replayedPreKeyMessageIsADuplicate() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        byte[] first = alice.cipherFor(bob).encrypt("one".getBytes(UTF_8));
        bob.cipherFor(alice).decrypt(first);
        assertThatThrownBy(() -> bob.cipherFor(alice).decrypt(first)).isInstanceOf(DuplicateMessageException.class);
    }

    @Test
    void messageWithoutSessionIsRefused() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {0}));
        byte[] ratchet = bob.cipherFor(alice).encrypt(new byte[] {1});
        Party stranger = new Party("alice", 1, random);
        assertThatThrownBy(() -> stranger.cipherFor(bob).decrypt(ratchet)).isInstanceOf(NoSessionException.class);
        assertThatThrownBy(() -> stranger.cipherFor(bob).encrypt(new byte[1])).isInstanceOf(NoSessionException.class);
    }

    @Test
    void oversizedPlaintextIsRefused() throws Exception {
        alice.builderFor(bob).process(bob.bundle());
        assertThatThrownBy(() -> alice.cipherFor(bob).encrypt(new byte[(1 << 20)]))
                .isInstanceOf(MessageTooLargeException.class);
    }
}
