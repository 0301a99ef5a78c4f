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
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.testing.Party;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production client against the production relay over pinned TLS 1.3: register, publish
 * prekeys, fetch a bundle, set up a session, send a sealed envelope on the anonymous connection,
 * receive it on the mailbox connection, open it, decrypt it, acknowledge it.
 */
class ClientServerRoundTripTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    @Test
    void aSealedMessageTravelsFromAliceToBobThroughTheRelay() throws Exception {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        try (RelayServer relay = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, Limits.DEFAULT,
                RelayEvents.lines(line -> { }, clock)))) {
            Invite invite = relay.invite("127.0.0.1", Instant.now().plus(Duration.ofDays(1)));
            Party alice = new Party("alice", 1, random);
            Party bob = new Party("bob", 1, random);
            byte[] bobAccessKey = AccessKey.derive(CryptoRandom.bytes(32));
            BlockingQueue<Frames.Deliver> bobInbox = new LinkedBlockingQueue<>();

            try (RelayClient bobClient = new RelayClient(invite, RelayConnection.Options.defaults(), bobInbox::add);
                 RelayClient aliceClient = new RelayClient(invite, RelayConnection.Options.defaults(), d -> { })) {
                bobClient.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                bobClient.register("bob", AccountIdentity.generate(random), 1, bob.identity(), bobAccessKey)
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                PreKeyBundle published = bob.bundle();
                bobClient.uploadPreKeys(published.signedPreKey(), List.of(published.oneTimePreKey().orElseThrow()),
                        List.of(published.kemPreKey()), Optional.of(bob.lastResortBundle().kemPreKey()))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);

                aliceClient.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                aliceClient.register("alice", AccountIdentity.generate(random), 1, alice.identity(),
                        AccessKey.derive(CryptoRandom.bytes(32))).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                RelayConnection.Bundles bundles = aliceClient.fetchBundles("bob").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(bundles.bundles()).hasSize(1);
                alice.builderFor(bob).process(bundles.bundles().get(0));

                byte[] ciphertext = alice.cipherFor(bob).encrypt("hello through the relay".getBytes(UTF_8));
                byte[] envelope = SealedSender.seal(alice.identity(),
                        new SenderCertificate("alice", 1, alice.identity().publicKey()),
                        bob.identity().publicKey(), ContentType.SESSION_MESSAGE, ciphertext, random);
                aliceClient.send("bob", 1, envelope, bobAccessKey).get(WAIT.toSeconds(), TimeUnit.SECONDS);

                Frames.Deliver delivered = bobInbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(delivered).as("bob received an envelope").isNotNull();
                UnsealedMessage opened = SealedSender.open(bob.identity(), delivered.envelope());
                assertThat(opened.sender().handle()).isEqualTo("alice");
                assertThat(new String(bob.cipherFor(alice).decrypt(opened.inner()), UTF_8))
                        .isEqualTo("hello through the relay");
                bobClient.ack(delivered.envelopeId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
