package dev.vouch.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.sealed.AccessKey;
import dev.vouch.protocol.sealed.ContentType;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.protocol.sealed.UnsealedMessage;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.BadResponseException;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.testing.Party;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production client against the production relay: a first contact looks the recipient up,
 * fetches a bundle and sends without an access key; and a device binding tampered with in the
 * relay's own SQLite file is caught by the client, never trusted.
 */
class ClientFirstContactTest {
    private static final long WAIT = 20;

    @TempDir
    Path data;
    RelayFixture fixture;
    Invite invite;
    final SecureRandom random = new SecureRandom();

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        invite = fixture.relay.invite("127.0.0.1", Instant.now().plus(Duration.ofDays(1)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private RelayClient client(RelayConnection.Listener listener) throws Exception {
        RelayClient client = new RelayClient(invite, RelayConnection.Options.defaults(), listener);
        client.connect().get(WAIT, TimeUnit.SECONDS);
        return client;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the request succeeded but should have failed");
    }

    /** Publishes a one-time pair and a last-resort key for {@code party}. */
    private static void publish(RelayClient client, Party party) throws Exception {
        PreKeyBundle published = party.bundle();
        await(client.uploadPreKeys(published.signedPreKey(), List.of(published.oneTimePreKey().orElseThrow()),
                List.of(published.kemPreKey()), Optional.of(party.lastResortBundle().kemPreKey())));
    }

    @Test
    void aFirstContactLooksUpFetchesAndSendsWithoutTheAccessKey() throws Exception {
        Party alice = new Party("alice", 1, random);
        Party bob = new Party("bob", 1, random);
        AccountIdentity bobAccount = AccountIdentity.generate(random);
        BlockingQueue<Frames.Deliver> bobInbox = new LinkedBlockingQueue<>();
        try (RelayClient bobClient = client(bobInbox::add); RelayClient aliceClient = client(d -> { })) {
            await(bobClient.register("bob", bobAccount, 1, bob.identity(), AccessKey.derive(CryptoRandom.bytes(32))));
            publish(bobClient, bob);
            await(aliceClient.register("alice", AccountIdentity.generate(random), 1, alice.identity(),
                    AccessKey.derive(CryptoRandom.bytes(32))));

            RelayConnection.Lookup lookup = await(aliceClient.lookup("bob"));
            assertThat(lookup.accountKey()).isEqualTo(bobAccount.publicKey());
            assertThat(lookup.devices()).containsExactly(new RelayConnection.DeviceEntry(1, bob.identity().publicKey()));

            // the lookup spent no prekey: the bundle still has bob's one-time pair
            RelayConnection.Bundles bundles = await(aliceClient.fetchBundles("bob"));
            assertThat(bundles.accountKey()).isEqualTo(bobAccount.publicKey());
            PreKeyBundle bundle = bundles.bundles().get(0);
            assertThat(bundle.oneTimePreKey()).isPresent();
            assertThat(bundle.kemPreKey().lastResort()).isFalse();
            alice.builderFor(bob).process(bundle);

            byte[] ciphertext = alice.cipherFor(bob).encrypt("hello, we have not met".getBytes(UTF_8));
            byte[] envelope = SealedSender.seal(alice.identity(), new SenderCertificate("alice", 1,
                    alice.identity().publicKey()), bob.identity().publicKey(), ContentType.SESSION_MESSAGE, ciphertext,
                    random);
            await(aliceClient.sendIdentified("bob", 1, envelope));

            Frames.Deliver delivered = bobInbox.poll(WAIT, TimeUnit.SECONDS);
            assertThat(delivered).as("bob received the first-contact envelope").isNotNull();
            UnsealedMessage opened = SealedSender.open(bob.identity(), delivered.envelope());
            assertThat(opened.sender().handle()).isEqualTo("alice");
            assertThat(new String(bob.cipherFor(alice).decrypt(opened.inner()), UTF_8)).isEqualTo("hello, we have not met");
            await(bobClient.ack(delivered.envelopeId()));
        }
    }

    @Test
    void aBindingTamperedWithInTheRelayDatabaseFailsLookupAndFetchNamingTheDevice() throws Exception {
        AccountIdentity bobAccount = AccountIdentity.generate(random);
        Party bob1 = new Party("bob", 1, random);
        Party bob2 = new Party("bob", 2, random);
        try (RelayClient first = client(d -> { }); RelayClient second = client(d -> { });
             RelayClient alice = client(d -> { })) {
            await(first.register("bob", bobAccount, 1, bob1.identity(), new byte[16]));
            await(second.register("bob", bobAccount, 2, bob2.identity(), new byte[16]));
            publish(first, bob1);
            publish(second, bob2);
            await(alice.register("alice", AccountIdentity.generate(random), 1, new Party("alice", 1, random).identity(),
                    new byte[16]));
            assertThat(await(alice.lookup("bob")).devices()).hasSize(2);

            // Someone with the relay's disk binds device 2 to bob with a signature of another account key.
            byte[] forged = AccountIdentity.generate(random)
                    .sign(AuthStrings.deviceBinding("bob", 2, bob2.identity().publicKey()));
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteRelayStorage.FILE_NAME));
                 PreparedStatement st = db.prepareStatement("UPDATE devices SET device_binding = ? WHERE device_id = 2")) {
                st.setBytes(1, forged);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }

            assertThat(failureOf(alice.lookup("bob"))).isInstanceOf(BadResponseException.class)
                    .hasMessageContaining("device 2");
            assertThat(failureOf(alice.fetchBundles("bob"))).isInstanceOf(BadResponseException.class)
                    .hasMessageContaining("device 2");
            // the connection itself is fine: the relay answered, the client refused the answer
            assertThat(alice.mailbox().state()).isEqualTo(RelayConnection.State.CONNECTED);
        }
    }
}
