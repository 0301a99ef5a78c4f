package dev.vouch.service;

import static dev.vouch.service.Member.await;
import static dev.vouch.service.Member.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bob's prekeys on a real relay while others spend them with real {@code fetchBundles} calls:
 * a connection tops up one-time prekeys once fewer than {@link PreKeyStock#LOW_WATER} are left
 * (and not before), the new keys work, and the signed prekey is replaced after a week of the
 * injected clock while a message encrypted to the old one still decrypts.
 */
class PreKeyStockTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private LocalRelay relay;
    private Member alice;
    private Member bob;
    private Member carol;

    @BeforeEach
    void start() throws Exception {
        // carol spends more than a hundred of bob's prekeys within a minute: above the default per-device limit
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT.withFetchBundlesPerMinute(1000));
        alice = Member.register(dir, "alice", relay, clock);
        bob = Member.register(dir, "bob", relay, clock);
        carol = Member.register(dir, "carol", relay, clock);
    }

    @AfterEach
    void stop() {
        for (Member m : new Member[] {alice, bob, carol}) {
            if (m != null) {
                m.close();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** What the relay holds for bob, asked over a connection of bob's own while his messenger is offline. */
    private RelayConnection.PreKeyCounts bobsCounts() throws Exception {
        RelayConnection.PreKeyCounts counts = await(bob.raw().preKeyCounts());
        bob.closeRaw();
        return counts;
    }

    /** carol spends {@code count} of bob's one-time prekeys; returns the last bundle. */
    private PreKeyBundle spend(int count) throws Exception {
        PreKeyBundle last = null;
        for (int i = 0; i < count; i++) {
            last = await(carol.raw().fetchBundles("bob")).bundles().get(0);
            assertThat(last.oneTimePreKey()).as("fetch %d", i).isPresent();
        }
        return last;
    }

    private void bobConnectsOnce() throws Exception {
        bob.online();
        bob.offline();
    }

    @Test
    void oneTimePreKeysAreToppedUpOnceFewerThanTheLowWaterMarkAreLeft() throws Exception {
        assertThat(bobsCounts()).isEqualTo(new RelayConnection.PreKeyCounts(PreKeyStock.BATCH, PreKeyStock.BATCH));

        spend(PreKeyStock.BATCH - PreKeyStock.LOW_WATER);
        bobConnectsOnce();
        assertThat(bobsCounts()).as("at the mark nothing is uploaded")
                .isEqualTo(new RelayConnection.PreKeyCounts(PreKeyStock.LOW_WATER, PreKeyStock.LOW_WATER));

        spend(1);
        int left = PreKeyStock.LOW_WATER - 1;
        assertThat(bobsCounts()).isEqualTo(new RelayConnection.PreKeyCounts(left, left));
        bobConnectsOnce();
        RelayConnection.PreKeyCounts after = bobsCounts();
        assertThat(after).isEqualTo(new RelayConnection.PreKeyCounts(left + PreKeyStock.BATCH, left + PreKeyStock.BATCH));
        assertThat(after.oneTime()).isGreaterThan(PreKeyStock.LOW_WATER);
        bobConnectsOnce();
        assertThat(bobsCounts()).as("a full stock is left alone").isEqualTo(after);

        // spend the rest of the first batch: the next bundle carries keys of the new one, and they work
        spend(left);
        PreKeyBundle fresh = await(carol.raw().fetchBundles("bob")).bundles().get(0);
        assertThat(fresh.oneTimePreKey().orElseThrow().id()).as("a key of the second upload").isGreaterThan(PreKeyStock.BATCH);
        byte[] envelope = carol.sealedText(bob, fresh, "to a key of the second batch", carol.certificate());
        await(carol.raw().send("bob", 1, envelope, bob.accessKey()));
        bob.online();
        eventually("bob decrypted it", () -> bob.messenger().unread(10).size() == 1);
        StoredMessage got = bob.messenger().unread(10).get(0);
        assertThat(got.body().text()).isEqualTo("to a key of the second batch");
        assertThat(bob.messenger().peerOf(got)).isEqualTo("carol");
        assertThat(bob.problems).isEmpty();
    }

    @Test
    void theSignedPreKeyRotatesAfterAWeekAndMessagesToTheOldOneStillDecrypt() throws Exception {
        PreKeyBundle before = await(carol.raw().fetchBundles("bob")).bundles().get(0);
        int firstSigned = before.signedPreKey().id();
        byte[] toTheOldKey = carol.sealedText(bob, before, "encrypted before the rotation", carol.certificate());

        clock.advance(Duration.ofDays(6));
        bobConnectsOnce();
        assertThat(await(carol.raw().fetchBundles("bob")).bundles().get(0).signedPreKey().id())
                .as("six days on, the same signed prekey").isEqualTo(firstSigned);

        clock.advance(Duration.ofDays(1));
        bob.online();
        PreKeyBundle after = await(carol.raw().fetchBundles("bob")).bundles().get(0);
        assertThat(after.signedPreKey().id()).as("a week on, a new signed prekey").isNotEqualTo(firstSigned);
        assertThat(after.signedPreKey().publicKey()).isNotEqualTo(before.signedPreKey().publicKey());

        // the envelope made a week ago from the old signed prekey reaches bob only now
        await(carol.raw().send("bob", 1, toTheOldKey, bob.accessKey()));
        eventually("bob decrypted the message to his old signed prekey", () -> bob.messenger().unread(10).size() == 1);
        assertThat(bob.messenger().unread(10).get(0).body().text()).isEqualTo("encrypted before the rotation");

        // and a session started now uses the new one
        alice.online().addContact("bob");
        alice.messenger().send("bob", "after the rotation");
        eventually("bob decrypted the message to his new signed prekey", () -> bob.messenger().unread(10).size() == 2);
        assertThat(bob.messenger().unread(10).get(1).body().text()).isEqualTo("after the rotation");
        assertThat(bob.problems).isEmpty();

        // the rotation is remembered: another connection the same day keeps the new key
        bob.offline();
        bobConnectsOnce();
        assertThat(await(carol.raw().fetchBundles("bob")).bundles().get(0).signedPreKey().id())
                .isEqualTo(after.signedPreKey().id());
    }

    @Test
    void aReplacedSignedPreKeyIsDeletedOnceNoEnvelopeCanStillNeedIt() throws Exception {
        int firstSigned = await(carol.raw().fetchBundles("bob")).bundles().get(0).signedPreKey().id();
        assertThat(bob.store.protocolState().loadSignedPreKey(firstSigned)).isPresent();
        // weekly rotations: the first key is replaced on day 7 and kept for RETENTION after that
        for (int week = 1; week <= 6; week++) {
            clock.advance(PreKeyStock.ROTATION);
            bobConnectsOnce();
            long daysSinceReplaced = (week - 1) * PreKeyStock.ROTATION.toDays();
            assertThat(bob.store.protocolState().loadSignedPreKey(firstSigned).isPresent())
                    .as("week %d, replaced %d days ago", week, daysSinceReplaced)
                    .isEqualTo(daysSinceReplaced <= PreKeyStock.RETENTION.toDays());
        }
        assertThat(bob.store.protocolState().loadSignedPreKey(firstSigned)).as("gone after six weeks").isEmpty();
    }
}
