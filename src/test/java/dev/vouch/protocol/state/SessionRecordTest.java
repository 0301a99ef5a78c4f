package dev.vouch.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session record read back from storage is the same session: it writes the same bytes and
 * still decrypts and encrypts. Its previous-session count is bounded and must match what follows.
 */
class SessionRecordTest {
    private final SecureRandom random = new SecureRandom();
    private Party alice;
    private Party bob;

    @BeforeEach
    void talk() throws Exception {
        alice = new Party("alice", 1, random);
        bob = new Party("bob", 1, random);
        alice.builderFor(bob).process(bob.bundle());
        bob.builderFor(alice).process(alice.bundle()); // both start: each record holds two sessions
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {1}));
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {2}));
    }

    @Test
    void aRecordReadBackIsTheSameSession() throws Exception {
        byte[] stored = bob.store().rawSession(alice.address()).orElseThrow();
        SessionRecord record = SessionRecord.decode(stored);
        assertThat(record.previous()).hasSize(1);
        assertThat(record.serialize()).isEqualTo(stored);

        // Put the decoded copy back (the store keeps bytes, so this is the full storage round trip) and keep talking.
        bob.store().storeSession(alice.address(), record);
        byte[] message = alice.cipherFor(bob).encrypt(new byte[] {3});
        assertThat(bob.cipherFor(alice).decrypt(message)).containsExactly(3);
        assertThat(alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {4}))).containsExactly(4);
    }

    @Test
    void theEncodedLengthIsExact() throws Exception {
        // Pending prekey data, skipped keys, retired receiving keys and previous sessions all count.
        assertExactLength(alice, bob);
        assertExactLength(bob, alice);
        byte[] first = alice.cipherFor(bob).encrypt(new byte[] {5});
        alice.cipherFor(bob).encrypt(new byte[] {6});
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {7})); // two keys skipped
        alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {8}));
        bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {9}));
        bob.cipherFor(alice).decrypt(first);
        assertExactLength(alice, bob);
        assertExactLength(bob, alice);

        Party carol = new Party("carol", 1, random);
        carol.builderFor(alice).process(alice.bundle()); // a session still waiting for an answer
        assertExactLength(carol, alice);
    }

    private static void assertExactLength(Party owner, Party peer) throws MalformedDataException {
        byte[] stored = owner.store().rawSession(peer.address()).orElseThrow();
        SessionRecord record = SessionRecord.decode(stored);
        int length = 3 + record.current().encodedLength();
        for (var state : record.previous()) {
            length += state.encodedLength();
        }
        assertThat(length).isEqualTo(stored.length);
    }

    @Test
    void morePreviousSessionsThanKeptAreMalformed() {
        byte[] stored = bob.store().rawSession(alice.address()).orElseThrow();
        for (int count : new int[] {SessionRecord.MAX_PREVIOUS_STATES + 1, 0xFF}) {
            byte[] bad = stored.clone();
            bad[2] = (byte) count;
            assertThatThrownBy(() -> SessionRecord.decode(bad)).as("%d previous sessions", count)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void aPreviousSessionCountThatDoesNotMatchIsMalformed() {
        byte[] stored = bob.store().rawSession(alice.address()).orElseThrow();
        byte[] claimsMore = stored.clone();
        claimsMore[2] = 2; // one previous session is stored
        assertThatThrownBy(() -> SessionRecord.decode(claimsMore)).isExactlyInstanceOf(MalformedDataException.class);
        byte[] claimsFewer = stored.clone();
        claimsFewer[2] = 0; // the previous session becomes trailing bytes
        assertThatThrownBy(() -> SessionRecord.decode(claimsFewer)).isExactlyInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SessionRecord.decode(Arrays.copyOf(stored, 3)))
                .isExactlyInstanceOf(MalformedDataException.class);
    }
}
