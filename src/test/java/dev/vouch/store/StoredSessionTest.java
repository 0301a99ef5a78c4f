package dev.vouch.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.Party;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol running on the SQLite store: a received message and its ratchet step commit together. */
class StoredSessionTest {
    private static final char[] PASSPHRASE = "pass".toCharArray();
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private PreKeyBundle setUpAlice(ProfileStore store) throws Exception {
        DeviceIdentity device = DeviceIdentity.generate(random);
        store.accounts().save(new Account("alice", 1, AccountIdentity.generate(random), device));
        ProtocolStateDao state = store.protocolState();
        SignedPreKey signed = SignedPreKey.generate(7, device, 0, random);
        OneTimePreKey oneTime = OneTimePreKey.generate(8, random);
        KemPreKey kem = KemPreKey.generate(9, false, device, 0, random);
        state.storeSignedPreKey(signed);
        state.storeOneTimePreKey(oneTime);
        state.storeKemPreKey(kem);
        return PreKeyBundle.verified(1, device.publicKey(), signed.publicPart(), oneTime.publicPart(), kem.publicPart());
    }

    private OptionalLong receive(ProfileStore store, long conversation, byte[] wire, byte[] uid) throws Exception {
        SessionCipher cipher = new SessionCipher(store.protocolState(), new ProtocolAddress("bob", 1));
        return cipher.decrypt(wire, plaintext -> {
            try {
                return store.messages().insert(new NewMessage(conversation, uid, MessageStatus.UNREAD,
                        ProfileStoreTest.text(new String(plaintext, UTF_8))));
            } catch (StoreException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void messageAndRatchetStepCommitTogetherOrNotAtAll() throws Exception {
        Party bob = new Party("bob", 1, random);
        ProtocolAddress alice = new ProtocolAddress("alice", 1);
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, ProfileStoreTest.FAST, Clock.systemUTC())) {
            PreKeyBundle bundle = setUpAlice(store);
            new dev.vouch.protocol.SessionBuilder(bob.store(), alice).process(bundle);
            SessionCipher bobToAlice = new SessionCipher(bob.store(), alice);
            long conversation = store.conversations().open("bob");

            assertThat(receive(store, conversation, bobToAlice.encrypt("one".getBytes(UTF_8)), new byte[] {1})).isPresent();
            assertThat(store.protocolState().loadOneTimePreKey(8)).isEmpty();

            byte[] second = bobToAlice.encrypt("two".getBytes(UTF_8));
            SessionCipher cipher = new SessionCipher(store.protocolState(), new ProtocolAddress("bob", 1));
            byte[] before = store.protocolState().loadSession(new ProtocolAddress("bob", 1)).orElseThrow().serialize();
            assertThatThrownBy(() -> cipher.decrypt(second, plaintext -> {
                try {
                    store.messages().insert(new NewMessage(conversation, new byte[] {2}, MessageStatus.UNREAD,
                            ProfileStoreTest.text("two")));
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("crash after the insert, before the commit");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(store.messages().newest(conversation, 10)).hasSize(1);
            assertThat(store.protocolState().loadSession(new ProtocolAddress("bob", 1)).orElseThrow().serialize())
                    .isEqualTo(before);

            assertThat(receive(store, conversation, second, new byte[] {2})).isPresent();
            assertThat(store.messages().newest(conversation, 10)).extracting(m -> m.body().text())
                    .containsExactly("two", "one");
        }

        try (ProfileStore store = ProfileStore.open(dir, Clock.systemUTC())) {
            store.unlock(PASSPHRASE);
            long conversation = store.conversations().find("bob").orElseThrow();
            SessionCipher bobToAlice = new SessionCipher(bob.store(), alice);
            assertThat(receive(store, conversation, bobToAlice.encrypt("after restart".getBytes(UTF_8)), new byte[] {3}))
                    .isPresent();
            byte[] reply = new SessionCipher(store.protocolState(), new ProtocolAddress("bob", 1))
                    .encrypt("hi bob".getBytes(UTF_8));
            assertThat(new String(bobToAlice.decrypt(reply), UTF_8)).isEqualTo("hi bob");
        }
    }

    @Test
    void protocolStateIsUnavailableWhileLocked() throws Exception {
        try (ProfileStore store = ProfileStore.create(dir, PASSPHRASE, ProfileStoreTest.FAST, Clock.systemUTC())) {
            setUpAlice(store);
            ProtocolStateDao state = store.protocolState();
            store.lock();
            assertThatThrownBy(() -> state.loadSignedPreKey(7))
                    .isInstanceOf(dev.vouch.protocol.state.StateUnavailableException.class)
                    .hasMessageContaining("locked");
        }
    }
}
