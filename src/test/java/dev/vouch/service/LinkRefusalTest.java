package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.qr.LinkCode;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.relay.server.Limits;
import dev.vouch.store.ProfileStore;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a device link refuses (docs/devices.md, "Linking"), with a real relay and real profiles:
 * expired and replayed codes, a code for another relay, a profile that already has an account, an
 * offer from another account than the new device expects, tampered sealed messages both ways, and
 * an answer naming a device id the list already holds. Each is a typed refusal and changes nothing:
 * the account's list keeps its version, and the new device's profile gets no account.
 */
class LinkRefusalTest {
    private static final Duration SHORT = Duration.ofSeconds(3);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;
    private MutableClock clock;
    private LocalRelay relay;
    private Member alice;
    private ProfileStore fresh;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        relay = LocalRelay.start(dir.resolve("relay"), clock, Limits.DEFAULT);
        alice = Member.register(dir, "alice", relay, clock);
        alice.online();
        fresh = ProfileStore.create(dir.resolve("new"), "new passphrase".toCharArray(), Member.FAST, clock);
    }

    @AfterEach
    void stop() {
        fresh.close();
        alice.close();
        relay.close();
    }

    private static LinkRefusedException.Reason reason(Throwable e) {
        assertThat(e).isInstanceOf(LinkRefusedException.class);
        return ((LinkRefusedException) e).reason();
    }

    private long aliceListVersion() throws Exception {
        return alice.messenger().refreshOwnDevices().version();
    }

    /** A code made by hand, so the test can play the new device's side of the channel. */
    private record Handmade(LinkCode code, X25519.KeyPair ephemeral, DeviceIdentity device) {
    }

    private Handmade handmade(Invite invite, Instant expires) {
        X25519.KeyPair ephemeral = X25519.generate(RANDOM);
        DeviceIdentity device = DeviceIdentity.generate(RANDOM);
        byte[] secret = new byte[LinkCode.SECRET_LENGTH];
        RANDOM.nextBytes(secret);
        return new Handmade(new LinkCode(ephemeral.publicKey(), secret, expires, device.publicKey().serialize(),
                invite.link(), "Handmade"), ephemeral, device);
    }

    private RelayClient client() throws Exception {
        RelayClient client = new RelayClient(relay.invite(), RelayConnection.Options.defaults(), d -> { });
        Member.await(client.connect());
        return client;
    }

    @Test
    void expiredAndFarFutureCodesAreRefusedBeforeAnythingIsSent() throws Exception {
        Handmade expired = handmade(relay.invite(), clock.instant().minusSeconds(1));
        assertThatThrownBy(() -> alice.messenger().acceptLink(expired.code(), "Old", SHORT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.EXPIRED))
                .hasMessageContaining("expired");
        Handmade later = handmade(relay.invite(), clock.instant().plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> alice.messenger().acceptLink(later.code(), "Later", SHORT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.EXPIRED));
        try (RelayClient client = client()) {
            assertThat(Member.await(client.fetchProvision(DeviceLinks.offerMailbox(expired.code())))).isEmpty();
        }
        assertThat(aliceListVersion()).isEqualTo(1);
    }

    @Test
    void aCodeForAnotherRelayAndAProfileWithAnAccountAreRefused() throws Exception {
        Invite mine = relay.invite();
        Invite other = new Invite(mine.host(), mine.port() + 1, mine.spkiPin(), mine.logKey(), Optional.empty());
        Handmade elsewhere = handmade(other, clock.instant().plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> alice.messenger().acceptLink(elsewhere.code(), "Elsewhere", SHORT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.OTHER_ACCOUNT))
                .hasMessageContaining("not on this account's relay");
        assertThatThrownBy(() -> Messenger.requestLink(alice.store, relay.invite(), "Again", alice.options))
                .isInstanceOf(AlreadyInitializedException.class).hasMessageContaining("alice");
        assertThat(aliceListVersion()).isEqualTo(1);
    }

    @Test
    void aNewDeviceExpectingAnotherAccountRefusesTheOfferAndNothingIsLinked() throws Exception {
        PendingLink pending = Messenger.requestLink(fresh, relay.invite(), "Phone", alice.options);
        CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
            try {
                pending.await(Optional.of("carol"), Member.WAIT);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertThatThrownBy(() -> alice.messenger().acceptLink(pending.code(), "Phone", SHORT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.TIMED_OUT));
        Throwable onTheNewDevice = refused.get();
        assertThat(reason(onTheNewDevice)).isEqualTo(LinkRefusedException.Reason.OTHER_ACCOUNT);
        assertThat(onTheNewDevice).hasMessageContaining("belongs to alice, not to carol");
        assertThat(fresh.accounts().load()).as("nothing was set up").isEmpty();
        assertThat(aliceListVersion()).isEqualTo(1);
        // and the code, once used, is refused as a replay
        assertThatThrownBy(() -> alice.messenger().acceptLink(pending.code(), "Phone", SHORT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.REUSED));
    }

    @Test
    void aTamperedOfferIsRefusedByTheNewDeviceAndSetsNothingUp() throws Exception {
        PendingLink pending = Messenger.requestLink(fresh, relay.invite(), "Phone", alice.options);
        LinkCode code = pending.code();
        SignedDeviceList own = alice.messenger().ownDevices().orElseThrow();
        DeviceLinks.Offer offer = new DeviceLinks.Offer("alice", alice.account.accountIdentity(), alice.profileKey().bytes(),
                2, "Phone", dev.vouch.protocol.keys.DeviceIdentityKey.decode(code.deviceKey()), own,
                relay.invite().link(), DeviceLinks.contents(alice.store, clock, 10));
        byte[] sealed = DeviceLinks.sealOffer(code, offer, RANDOM).bytes();
        sealed[sealed.length - 20] ^= 1;
        try (RelayClient client = client()) {
            Member.await(client.provision(DeviceLinks.offerMailbox(code), sealed));
        }
        assertThatThrownBy(() -> pending.await(Optional.empty(), Member.WAIT))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.TAMPERED))
                .hasMessageContaining("does not open");
        assertThat(fresh.accounts().load()).isEmpty();
        // an offer sealed for another code does not open either
        Handmade other = handmade(relay.invite(), clock.instant().plus(Duration.ofMinutes(5)));
        byte[] forOther = DeviceLinks.sealOffer(other.code(), offer, RANDOM).bytes();
        assertThatThrownBy(() -> DeviceLinks.openOffer(code, other.ephemeral().privateKey(), forOther))
                .satisfies(e -> assertThat(reason(e)).isEqualTo(LinkRefusedException.Reason.TAMPERED));
    }

    @Test
    void anAnswerWithATamperedBoxOrADuplicateDeviceIdPublishesNothing() throws Exception {
        for (boolean tamper : new boolean[] {true, false}) {
            Handmade code = handmade(relay.invite(), clock.instant().plus(Duration.ofMinutes(5)));
            CompletableFuture<Throwable> accepting = CompletableFuture.supplyAsync(() -> {
                try {
                    alice.messenger().acceptLink(code.code(), "Handmade", Member.WAIT);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            try (RelayClient client = client()) {
                byte[] sealed = DeviceLinks.poll(client, DeviceLinks.offerMailbox(code.code()), Member.WAIT,
                        code.code().expiresAt(), clock).orElseThrow();
                DeviceLinks.Opened opened = DeviceLinks.openOffer(code.code(), code.ephemeral().privateKey(), sealed);
                assertThat(opened.offer().handle()).isEqualTo("alice");
                assertThat(opened.offer().deviceId()).isEqualTo(2);
                // the device id alice's desktop already has: a list with it twice must never be signed
                byte[] reply = DeviceLinks.sealReply(opened, code.code(),
                        new DeviceLinks.Reply(tamper ? 2 : 1, code.device().publicKey()), RANDOM);
                if (tamper) {
                    reply[reply.length - 1] ^= 1;
                }
                Member.await(client.provision(DeviceLinks.replyMailbox(code.code()), reply));
            }
            Throwable refused = accepting.get();
            assertThat(reason(refused)).isEqualTo(tamper ? LinkRefusedException.Reason.TAMPERED
                    : LinkRefusedException.Reason.BAD_DEVICE_LIST);
            assertThat(aliceListVersion()).isEqualTo(1);
        }
    }
}
