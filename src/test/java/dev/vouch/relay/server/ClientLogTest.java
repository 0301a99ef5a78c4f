package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.client.RelayErrorException;
import dev.vouch.testing.Party;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.TreeHead;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production client's log plumbing against the production relay: what {@code lookup},
 * {@code fetchBundles}, {@code logHead} and {@code logEntries} return decodes into values that
 * verify with the invite's log key and the pure checks, and name the keys served beside them.
 */
class ClientLogTest {
    private static final long WAIT = 20;

    @TempDir
    Path data;

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void theClientReturnsProofsThatVerifyWithTheInvitesLogKey() throws Exception {
        SecureRandom random = new SecureRandom();
        try (RelayFixture fixture = new RelayFixture(data)) {
            Invite invite = fixture.relay.invite("127.0.0.1", fixture.clock.instant().plus(Duration.ofDays(1)));
            LogKey pinned = new LogKey(invite.logKey().orElseThrow());
            Party bob = new Party("bob", 1, random);
            Party alice = new Party("alice", 1, random);
            try (RelayClient bobClient = new RelayClient(invite, RelayConnection.Options.defaults(), d -> { });
                 RelayClient aliceClient = new RelayClient(invite, RelayConnection.Options.defaults(), d -> { })) {
                await(bobClient.connect());
                await(bobClient.register("bob", AccountIdentity.generate(random), 1, bob.identity(),
                        CryptoRandom.bytes(16)));
                PreKeyBundle published = bob.bundle();
                await(bobClient.uploadPreKeys(published.signedPreKey(), List.of(published.oneTimePreKey().orElseThrow()),
                        List.of(published.kemPreKey()), Optional.of(bob.lastResortBundle().kemPreKey())));
                RelayConnection.LogHeadAnswer first = await(bobClient.logHead(0));
                assertThat(first.consistency()).isEmpty();
                TreeHead one = pinned.verify(first.head());
                assertThat(one.size()).isEqualTo(1);

                await(aliceClient.connect());
                await(aliceClient.register("alice", AccountIdentity.generate(random), 1, alice.identity(),
                        CryptoRandom.bytes(16)));

                RelayConnection.Lookup lookup = await(aliceClient.lookup("bob"));
                RelayConnection.LogProof proof = lookup.log().orElseThrow();
                TreeHead head = pinned.verify(proof.head());
                head.verifyInclusion(proof.entry(), proof.proof());
                assertThat(proof.index()).isZero();
                assertThat(proof.entry().handle()).isEqualTo("bob");
                assertThat(proof.entry().accountKey()).isEqualTo(lookup.accountKey());
                Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
                lookup.devices().forEach(d -> devices.put(d.deviceId(), d.deviceKey()));
                assertThat(proof.entry().deviceListHash()).isEqualTo(DeviceListHash.of(devices));

                RelayConnection.Bundles bundles = await(aliceClient.fetchBundles("bob"));
                RelayConnection.LogProof bundleProof = bundles.log().orElseThrow();
                pinned.verify(bundleProof.head()).verifyInclusion(bundleProof.entry(), bundleProof.proof());
                assertThat(bundleProof.entry()).isEqualTo(proof.entry());
                assertThat(bundleProof.entry().deviceListHash()).isEqualTo(DeviceListHash.of(
                        Map.of(1, bundles.bundles().get(0).identityKey())));

                RelayConnection.LogHeadAnswer later = await(bobClient.logHead(one.size()));
                TreeHead two = pinned.verify(later.head());
                assertThat(two.size()).isEqualTo(2);
                one.verifyConsistency(two, later.consistency().orElseThrow());

                RelayConnection.LogEntries entries = await(bobClient.logEntries(0, 1000));
                TreeHead entriesHead = pinned.verify(entries.head());
                assertThat(entries.entries()).extracting(RelayConnection.LogEntryProof::index).containsExactly(0L, 1L);
                for (RelayConnection.LogEntryProof e : entries.entries()) {
                    entriesHead.verifyInclusion(e.entry(), e.proof());
                }
                assertThat(entries.entries().get(1).entry().handle()).isEqualTo("alice");

                ExecutionException beyond = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> await(bobClient.logHead(3)));
                assertThat(beyond.getCause()).isInstanceOfSatisfying(RelayErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME));
            }
        }
    }
}
