package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.AccessKey;
import dev.vouch.protocol.sealed.ContentType;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.testing.LocalRelay;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One person in a service test: a real profile (SQLite in a temporary folder) registered with a
 * real relay, whose {@link Messenger} is opened and closed as the test needs, with a listener that
 * records what the service reported. {@link #raw()} is a bare relay client authenticated as this
 * device, for doing by hand what a misbehaving client would.
 */
public final class Member implements AutoCloseable {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    static final Duration WAIT = Duration.ofSeconds(20);

    final String handle;
    final ProfileStore store;
    final Account account;
    final Messenger.Options options;
    final Invite invite;
    final List<StoredMessage> received = new CopyOnWriteArrayList<>();
    final List<Long> delivered = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<KeyDirectory.Observation> keyChanges = new CopyOnWriteArrayList<>();
    private Messenger messenger;
    private RelayClient raw;

    private Member(String handle, ProfileStore store, Account account, Messenger.Options options, Invite invite) {
        this.handle = handle;
        this.store = store;
        this.account = account;
        this.options = options;
        this.invite = invite;
    }

    /** The passphrase of a member's profile, for opening it as the app does. */
    public static char[] passphrase(String handle) {
        return (handle + " passphrase").toCharArray();
    }

    /** Creates the profile and registers it (account, device and first prekeys), offline afterwards. */
    public static Member register(Path dir, String handle, LocalRelay relay, Clock clock) throws Exception {
        ProfileStore store = ProfileStore.create(dir.resolve(handle), passphrase(handle), FAST, clock);
        Messenger.Options options = new Messenger.Options(RelayConnection.Options.defaults(), clock, new SecureRandom());
        Account account = Messenger.initialize(store, handle, relay.invite(), options);
        return new Member(handle, store, account, options, relay.invite());
    }

    private final MessengerListener listener = new MessengerListener() {
        @Override
        public void received(StoredMessage message, Contact from) {
            received.add(message);
        }

        @Override
        public void delivered(long messageId) {
            delivered.add(messageId);
        }

        @Override
        public void problem(String message) {
            problems.add(message);
        }

        @Override
        public void keysChanged(KeyDirectory.Observation observation) {
            keyChanges.add(observation);
        }
    };

    /** The open messenger (opened offline on first use). */
    public Messenger messenger() throws Exception {
        if (messenger == null) {
            messenger = Messenger.open(store, options, listener);
        }
        return messenger;
    }

    public Messenger online() throws Exception {
        messenger().connect();
        return messenger;
    }

    /** Closes the messenger (the profile stays open): this person goes offline. */
    public void offline() {
        if (messenger != null) {
            messenger.close();
            messenger = null;
        }
    }

    ProfileKey profileKey() throws Exception {
        return new ProfileKey(Base64.getDecoder().decode(store.settings().get("account.profile-key").orElseThrow()));
    }

    byte[] accessKey() throws Exception {
        return AccessKey.derive(profileKey().bytes());
    }

    /** A bare client authenticated as this device (use it only while the messenger is offline or never connected). */
    RelayClient raw() throws Exception {
        if (raw == null) {
            raw = new RelayClient(invite, RelayConnection.Options.defaults(), deliver -> { });
            raw.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            raw.authenticate(handle, account.deviceId(), account.deviceIdentity()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return raw;
    }

    /** Closes the bare client, so that the messenger can be this device's only connection. */
    void closeRaw() {
        if (raw != null) {
            raw.close();
            raw = null;
        }
    }

    /**
     * A text encrypted by hand to {@code to}'s device 1 in a new session from a freshly fetched
     * bundle (this profile's real protocol store), sealed with {@code certificate}, which must carry
     * this device's key but may claim any handle.
     */
    byte[] sealedText(Member to, String text, SenderCertificate certificate) throws Exception {
        PreKeyBundle bundle = await(raw().fetchBundles(to.handle)).bundles().get(0);
        return sealedText(to, bundle, text, certificate);
    }

    byte[] sealedText(Member to, PreKeyBundle bundle, String text, SenderCertificate certificate) throws Exception {
        return sealedText(to, bundle, text, certificate, inner -> inner);
    }

    /** As above, with the session message changed by {@code alter} before it is sealed. */
    byte[] sealedText(Member to, PreKeyBundle bundle, String text, SenderCertificate certificate,
                      java.util.function.UnaryOperator<byte[]> alter) throws Exception {
        ProtocolAddress address = new ProtocolAddress(to.handle, bundle.deviceId());
        new SessionBuilder(store.protocolState(), address, options.random()).process(bundle);
        byte[] id = new byte[Content.MESSAGE_ID_LENGTH];
        options.random().nextBytes(id);
        Content content = new Content.Text(new Content.MessageId(id), Instant.now(), profileKey(), text);
        byte[] inner = new SessionCipher(store.protocolState(), address).encrypt(content.encode());
        return SealedSender.seal(account.deviceIdentity(), certificate, bundle.identityKey(),
                ContentType.SESSION_MESSAGE, alter.apply(inner), options.random());
    }

    /**
     * {@code content} encrypted in this profile's existing session with {@code to} (its messenger
     * offline) and sealed under this device's own certificate: a content kind the client would never
     * send there, sent as the client sends.
     */
    byte[] sealedInSession(ProtocolAddress to, Content content) throws Exception {
        DeviceIdentityKey key = store.protocolState().identity(to).orElseThrow();
        byte[] inner = new SessionCipher(store.protocolState(), to).encrypt(content.encode());
        return SealedSender.seal(account.deviceIdentity(), certificate(), key, ContentType.SESSION_MESSAGE, inner,
                options.random());
    }

    /**
     * A second device of this account set up by hand in a new profile at {@code dir}, named "Laptop":
     * the account's keys with a new device key, registered as device 2 with prekeys, and listed
     * with device 1 in the account's next signed list (published from device 1, which is offline
     * afterwards). Quicker than a link, and the profile has no transfer.
     */
    ProfileStore secondDevice(Path dir, Clock clock) throws Exception {
        ProfileStore second = ProfileStore.create(dir, "laptop passphrase".toCharArray(), FAST, clock);
        Account device = new Account(handle, 2, account.accountIdentity(), DeviceIdentity.generate(new SecureRandom()));
        second.accounts().save(device);
        second.settings().put("account.profile-key", store.settings().get("account.profile-key").orElseThrow());
        second.settings().put("relay.invite", store.settings().get("relay.invite").orElseThrow());
        try (RelayClient client = new RelayClient(invite, RelayConnection.Options.defaults(), d -> { })) {
            await(client.connect());
            await(client.register(handle, device.accountIdentity(), 2, device.deviceIdentity(), accessKey()));
            new PreKeyStock(second, second.protocolState(), device, options.clock(), options.random()).maintain(client);
        }
        SignedDeviceList both = online().publishDevices(List.of(ExtraDevice.first(this),
                new SignedDeviceList.Device(2, device.deviceIdentity().publicKey(), "Laptop", clock.instant())));
        offline();
        second.settings().put("devices.own", Base64.getEncoder().encodeToString(both.serialize()));
        second.settings().put("devices.own-confirmed", Long.toString(both.version()));
        second.settings().put("account.registered", Long.toString(clock.millis()));
        return second;
    }

    /** This device's own sender certificate. */
    SenderCertificate certificate() {
        return new SenderCertificate(handle, account.deviceId(), account.deviceIdentity().publicKey());
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until {@code condition} holds; fails the test with {@code what} after {@link #WAIT}. */
    static void eventually(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                assertThat(condition.holds()).as("within " + WAIT + ": " + what).isTrue();
                return;
            }
            Thread.sleep(25);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    @Override
    public void close() {
        offline();
        if (raw != null) {
            raw.close();
        }
        store.close();
    }
}
