package dev.vouch.service;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.sealed.AccessKey;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Handles;
import dev.vouch.relay.api.InvalidInviteException;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.qr.LinkCode;
import dev.vouch.protocol.keys.SignedDeviceList;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One unlocked profile's messaging engine: the account, its contacts and key history, the outbox
 * and the inbox, joined to the relay. The command line and the desktop app are both faces of it.
 * Network and crypto work runs on the caller's thread or the service's inbox thread, never a UI thread.
 */
public final class Messenger implements AutoCloseable {
    /** The device id of an account's first device; a linked device gets the next free one ({@link #acceptLink}). */
    public static final int DEVICE_ID = 1;

    static final String INVITE = "relay.invite";
    static final String PROFILE_KEY = "account.profile-key";
    static final String REGISTERED = "account.registered";
    private static final String LINK_ACCEPTED_PREFIX = "link.accepted.";
    private static final String REMOVED = "account.removed";

    /** Injectable time, randomness and relay timing (tests drive them). */
    public record Options(RelayConnection.Options relay, Clock clock, SecureRandom random) {
        public static Options defaults() {
            return new Options(RelayConnection.Options.defaults(), Clock.systemUTC(), CryptoRandom.get());
        }
    }

    private final ProfileStore store;
    private final Options options;
    private final MessengerListener listener;
    private final Account account;
    private final Invite invite;
    private final ProtocolStateDao protocolState;
    private final KeyDirectory directory;
    private final Outgoing outgoing;
    private final Inbox inbox;
    private final PreKeyStock preKeys;
    private final LogAuditor auditor;
    private final ReviewReminders reminders;
    private final ExecutorService worker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final java.util.concurrent.CountDownLatch backlogDelivered = new java.util.concurrent.CountDownLatch(1);
    private volatile RelayClient relay;

    private Messenger(ProfileStore store, Options options, MessengerListener listener, Account account, Invite invite,
                      ProfileKey profileKey) throws StoreException {
        this.store = store;
        this.options = options;
        this.listener = listener;
        this.account = account;
        this.invite = invite;
        this.protocolState = store.protocolState();
        this.directory = new KeyDirectory(store, protocolState, account, options.clock());
        this.auditor = new LogAuditor(store, invite, account, options.clock(), listener);
        this.outgoing = new Outgoing(store, protocolState, account, profileKey, directory, auditor, options.clock(),
                options.random());
        this.inbox = new Inbox(store, protocolState, account, directory, outgoing, auditor, options.clock(), listener);
        this.preKeys = new PreKeyStock(store, protocolState, account, options.clock(), options.random());
        this.reminders = new ReviewReminders(store, options.clock());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vouch-messenger");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates this profile's account and registers it with the relay of {@code invite}: new
     * account and device keys, a profile key, then the first prekeys. Keys are stored before the
     * relay hears of them, so an interrupted {@code init} can be run again with the same handle.
     */
    public static Account initialize(ProfileStore store, String rawHandle, Invite invite, Options options)
            throws ServiceException, StoreException {
        String handle = Handles.normalize(rawHandle).orElseThrow(() -> new ServiceException(
                "'" + rawHandle + "' is not a valid handle: " + Handles.RULE));
        Optional<Account> existing = store.accounts().load();
        if (existing.isPresent() && store.settings().get(REGISTERED).isPresent()) {
            throw new AlreadyInitializedException(existing.get().handle());
        }
        Account account = existing.filter(a -> a.handle().equals(handle)).orElseGet(() -> new Account(handle, DEVICE_ID,
                AccountIdentity.generate(options.random()), DeviceIdentity.generate(options.random())));
        byte[] profileKey = store.settings().get(PROFILE_KEY).map(Base64.getDecoder()::decode)
                .orElseGet(() -> AccessKey.generateProfileKey(options.random()));
        Invite kept = new Invite(invite.host(), invite.port(), invite.spkiPin(), invite.logKey(), Optional.empty());
        store.context().database().transaction(connection -> {
            store.accounts().save(account);
            store.settings().put(PROFILE_KEY, Base64.getEncoder().encodeToString(profileKey));
            store.settings().put(INVITE, kept.link());
            return null;
        });
        try (RelayClient client = new RelayClient(invite, options.relay(), deliver -> { })) {
            RelayCalls.await(client.connect());
            RelayCalls.await(client.register(handle, account.accountIdentity(), account.deviceId(),
                    account.deviceIdentity(), AccessKey.derive(profileKey)));
            // The first signed device list (this device alone) before the account counts as set up.
            new DeviceLists(store, account, options.clock()).ensurePublished(client, DeviceLists.DEFAULT_NAME);
            store.settings().put(REGISTERED, Long.toString(options.clock().millis()));
            new PreKeyStock(store, store.protocolState(), account, options.clock(), options.random()).maintain(client);
        }
        return account;
    }

    /**
     * The new device's side of a link (docs/devices.md, "Linking"): a fresh device identity and the
     * code to show. Refused in a profile that already belongs to an account.
     */
    public static PendingLink requestLink(ProfileStore store, Invite invite, String name, Options options)
            throws ServiceException, StoreException {
        Optional<Account> existing = store.accounts().load();
        if (existing.isPresent() && store.settings().get(REGISTERED).isPresent()) {
            throw new AlreadyInitializedException(existing.get().handle());
        }
        DeviceIdentity device = DeviceIdentity.generate(options.random());
        X25519.KeyPair ephemeral = X25519.generate(options.random());
        byte[] secret = new byte[LinkCode.SECRET_LENGTH];
        options.random().nextBytes(secret);
        Invite kept = new Invite(invite.host(), invite.port(), invite.spkiPin(), invite.logKey(), Optional.empty());
        LinkCode code = new LinkCode(ephemeral.publicKey(), secret,
                options.clock().instant().plus(DeviceLinks.CODE_LIFETIME), device.publicKey().serialize(), kept.link(),
                name);
        return new PendingLink(store, invite, options, device, ephemeral.privateKey(), code);
    }

    /** Opens the engine on an unlocked profile, offline; {@link #connect()} joins the relay. */
    public static Messenger open(ProfileStore store, Options options, MessengerListener listener)
            throws ServiceException, StoreException {
        Optional<Account> account = store.accounts().load();
        if (account.isEmpty() || store.settings().get(REGISTERED).isEmpty()) {
            throw new NotInitializedException();
        }
        Invite invite;
        try {
            invite = Invite.parse(store.settings().get(INVITE).orElseThrow(NotInitializedException::new),
                    options.clock().instant());
        } catch (InvalidInviteException e) {
            throw new StoreException("the stored relay invite does not parse: " + e.getMessage());
        }
        if (store.settings().get(REMOVED).isPresent()) {
            throw new DeviceRemovedException(account.get().handle(), account.get().deviceId());
        }
        ProfileKey profileKey = new ProfileKey(Base64.getDecoder().decode(
                store.settings().get(PROFILE_KEY).orElseThrow(NotInitializedException::new)));
        return new Messenger(store, options, listener, account.get(), invite, profileKey);
    }

    public Account account() {
        return account;
    }

    public Invite invite() {
        return invite;
    }

    public KeyDirectory keys() {
        return directory;
    }

    /**
     * Connects to the relay as this device, then tops up prekeys and sends what waits in the
     * outbox. Envelopes the relay delivers are processed on the service thread from then on.
     */
    public void connect() throws ServiceException, StoreException {
        if (relay != null) {
            return;
        }
        RelayClient client = new RelayClient(invite, options.relay(), new RelayConnection.Listener() {
            @Override
            public void onDeliver(Frames.Deliver deliver) {
                inFlight.incrementAndGet();
                lastDelivery.set(System.nanoTime());
                worker.execute(() -> {
                    try {
                        RelayClient client = relay;
                        if (client != null) {
                            inbox.process(client, deliver);
                        }
                    } finally {
                        // The last of a batch sends the receipts it queued.
                        if (inFlight.decrementAndGet() == 0) {
                            flushQuietly();
                        }
                    }
                });
            }

            @Override
            public void onQueueEmpty() {
                backlogDelivered.countDown();
            }

            @Override
            public void onStateChanged(RelayConnection.State state, Optional<dev.vouch.relay.client.RelayException> cause) {
                if (state == RelayConnection.State.CONNECTED || state == RelayConnection.State.RECONNECTING
                        || state == RelayConnection.State.FAILED) {
                    listener.connectionChanged(state == RelayConnection.State.CONNECTED);
                }
                if (state == RelayConnection.State.CONNECTED && relay != null) {
                    worker.execute(Messenger.this::flushQuietly);
                }
                if (state == RelayConnection.State.FAILED && cause.isPresent()
                        && cause.get() instanceof dev.vouch.relay.client.RelayErrorException refused
                        && refused.code() == dev.vouch.relay.api.ErrorCode.DEVICE_REMOVED) {
                    markRemoved();
                    listener.problem(new DeviceRemovedException(account.handle(), account.deviceId()).getMessage());
                }
            }
        });
        relay = client;
        try {
            RelayCalls.await(client.connect());
            try {
                RelayCalls.await(client.authenticate(account.handle(), account.deviceId(), account.deviceIdentity()));
            } catch (RelayFailureException e) {
                if (RelayCalls.code(e).filter(c -> c == dev.vouch.relay.api.ErrorCode.DEVICE_REMOVED).isPresent()) {
                    markRemoved();
                    throw new DeviceRemovedException(account.handle(), account.deviceId());
                }
                throw e;
            }
            // A profile set up before signed device lists publishes its first one now.
            try {
                new DeviceLists(store, account, options.clock()).ensurePublished(client, DeviceLists.DEFAULT_NAME);
            } catch (RelayFailureException e) {
                throw e;
            } catch (ServiceException e) {
                // the relay holds another list of ours: say so, and go on receiving
                listener.problem(e.getMessage());
            }
            preKeys.maintain(client);
            try {
                auditor.monitor(client);
            } catch (TransparencyFailureException e) {
                // recorded as an alert; the rest of the session goes on, every served key is still checked
            }
        } catch (ServiceException | StoreException | RuntimeException e) {
            relay = null;
            client.close();
            throw e;
        }
        flush();
    }

    /**
     * The relay says this device left its account's list: it stops for good. Its sessions and
     * prekeys are deleted so it decrypts nothing more; its history stays readable in the profile.
     */
    private void markRemoved() {
        try {
            store.settings().put(REMOVED, Long.toString(options.clock().millis()));
            for (dev.vouch.protocol.ProtocolAddress address : protocolState.knownDevices()) {
                protocolState.deleteSession(address);
            }
        } catch (StoreException | StateUnavailableException | RuntimeException e) {
            listener.problem("could not record that this device was removed: " + e.getMessage());
        }
    }

    private RelayClient online() throws RelayFailureException {
        RelayClient client = relay;
        if (client == null) {
            throw new RelayFailureException("not connected to the relay");
        }
        return client;
    }

    /** Adds a contact by handle: the relay's keys for it become the first entries of its key history. */
    public KeyDirectory.Observation addContact(String handle) throws ServiceException, StoreException {
        String normalized = KeyDirectory.normalize(handle);
        if (normalized.equals(account.handle())) {
            throw new UnknownContactException("that is your own handle");
        }
        RelayConnection.Lookup served;
        try {
            served = auditor.lookup(online(), normalized);
        } catch (RelayFailureException e) {
            if (RelayCalls.code(e).filter(c -> c == dev.vouch.relay.api.ErrorCode.UNKNOWN_ACCOUNT).isPresent()) {
                throw new UnknownContactException("the relay has no account " + normalized);
            }
            throw e;
        }
        return directory.observe(normalized, served);
    }

    /** This account's own signed device list, as last signed or adopted here. */
    public Optional<SignedDeviceList> ownDevices() throws StoreException {
        return new DeviceLists(store, account, options.clock()).own();
    }

    /**
     * This account's newest signed device list as the relay proves it now: a newer one, published
     * by another device of the account (a link, an unlink), is adopted first.
     */
    public SignedDeviceList refreshOwnDevices() throws ServiceException, StoreException {
        try {
            return new DeviceLists(store, account, options.clock()).adoptNewer(auditor.lookup(online(), account.handle()));
        } catch (DeviceRemovedException e) {
            markRemoved();
            throw e;
        }
    }

    /**
     * Signs the next version of this account's device list with exactly {@code devices} and
     * publishes it (each device must be registered with the relay under the key listed for it);
     * contacts accept it as the newest from then on (docs/devices.md).
     */
    public SignedDeviceList publishDevices(List<SignedDeviceList.Device> devices) throws ServiceException,
            StoreException {
        DeviceLists lists = new DeviceLists(store, account, options.clock());
        long next = lists.own().map(SignedDeviceList::version).orElse(0L) + 1;
        SignedDeviceList list;
        try {
            list = SignedDeviceList.sign(account.accountIdentity(), account.handle(), next, devices);
        } catch (dev.vouch.protocol.InvalidDeviceListException e) {
            throw new ServiceException(e.getMessage(), e);
        }
        return lists.publish(online(), list);
    }

    /**
     * Checks a link code before anything is sent (docs/devices.md, "Linking"): not expired, not
     * accepted here before, for this account's relay, a device key not in the list yet. Returns the
     * code's device key, whose fingerprint the user confirms.
     */
    public DeviceIdentityKey checkLinkCode(LinkCode code) throws ServiceException, StoreException {
        Instant now = options.clock().instant();
        if (!code.expiresAt().isAfter(now)) {
            throw new LinkRefusedException(LinkRefusedException.Reason.EXPIRED, "this link code expired at "
                    + code.expiresAt() + ": show a new one on the new device");
        }
        if (code.expiresAt().isAfter(now.plus(DeviceLinks.CODE_LIFETIME).plus(Duration.ofMinutes(5)))) {
            throw new LinkRefusedException(LinkRefusedException.Reason.EXPIRED, "this link code claims to be valid until "
                    + code.expiresAt() + ", longer than a link code lives: check both devices' clocks");
        }
        if (store.settings().get(LINK_ACCEPTED_PREFIX + DeviceLinks.codeId(code)).isPresent()) {
            throw new LinkRefusedException(LinkRefusedException.Reason.REUSED,
                    "this link code was already accepted; a link code works once: show a new one on the new device");
        }
        Invite theirs;
        try {
            theirs = Invite.parse(code.invite(), now);
        } catch (InvalidInviteException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.NOT_A_LINK_CODE,
                    "the link code's relay invite does not parse: " + e.getMessage());
        }
        if (!theirs.host().equals(invite.host()) || theirs.port() != invite.port()
                || !java.util.Arrays.equals(theirs.spkiPin(), invite.spkiPin())) {
            throw new LinkRefusedException(LinkRefusedException.Reason.OTHER_ACCOUNT, "this link code waits on the relay "
                    + theirs.host() + ":" + theirs.port() + ", not on this account's relay " + invite.host() + ":"
                    + invite.port() + "; show the code again with this account's invite");
        }
        DeviceIdentityKey key;
        try {
            key = DeviceIdentityKey.decode(code.deviceKey());
        } catch (dev.vouch.protocol.MalformedDataException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.NOT_A_LINK_CODE,
                    "the link code's device key does not decode: " + e.getMessage());
        }
        SignedDeviceList own = refreshOwnDevices();
        if (own.devices().stream().anyMatch(d -> d.key().equals(key))) {
            throw new LinkRefusedException(LinkRefusedException.Reason.BAD_DEVICE_LIST,
                    "this device key is already in the account's device list");
        }
        if (own.devices().size() >= SignedDeviceList.MAX_DEVICES) {
            throw new LinkRefusedException(LinkRefusedException.Reason.BAD_DEVICE_LIST, "the account already has "
                    + SignedDeviceList.MAX_DEVICES + " devices, the most a list holds: unlink one first");
        }
        return key;
    }

    /**
     * Links the new device that shows {@code code}, named {@code name}: seals the account key, the
     * contacts, their key history and the newest messages to it through a provisioning mailbox,
     * waits up to {@code wait} for its answer that it registered, then signs and publishes the list
     * with it. The code is remembered as used before anything leaves, so it never works twice.
     */
    public SignedDeviceList acceptLink(LinkCode code, String name, Duration wait)
            throws ServiceException, StoreException {
        DeviceIdentityKey key = checkLinkCode(code);
        SignedDeviceList own = ownDevices().orElseThrow();
        int deviceId = own.devices().stream().mapToInt(SignedDeviceList.Device::deviceId).max().orElse(0) + 1;
        try {
            new SignedDeviceList.Device(deviceId, key, name, options.clock().instant());
        } catch (IllegalArgumentException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.BAD_DEVICE_LIST, "the device name is not usable: "
                    + e.getMessage());
        }
        RelayClient client = online();
        byte[] profileKey = Base64.getDecoder().decode(store.settings().get(PROFILE_KEY).orElseThrow());
        DeviceLinks.Sealed sealed = null;
        for (int recent = DeviceLinks.RECENT_MESSAGES; recent >= 0; recent = recent == 0 ? -1 : recent / 2) {
            DeviceLinks.Offer offer = new DeviceLinks.Offer(account.handle(), account.accountIdentity(), profileKey,
                    deviceId, name, key, own, invite.link(), DeviceLinks.contents(store, options.clock(), recent));
            DeviceLinks.Sealed attempt = DeviceLinks.sealOffer(code, offer, options.random());
            if (attempt.bytes().length <= dev.vouch.relay.api.Frames.MAX_PROVISION) {
                sealed = attempt;
                break;
            }
        }
        if (sealed == null) {
            throw new LinkRefusedException(LinkRefusedException.Reason.TOO_LARGE, "the contacts and key history alone"
                    + " do not fit a provisioning message of " + dev.vouch.relay.api.Frames.MAX_PROVISION + " bytes");
        }
        store.settings().put(LINK_ACCEPTED_PREFIX + DeviceLinks.codeId(code),
                Long.toString(options.clock().millis()));
        try {
            RelayCalls.await(client.provision(DeviceLinks.offerMailbox(code), sealed.bytes()));
        } catch (RelayFailureException e) {
            if (RelayCalls.code(e).filter(c -> c == dev.vouch.relay.api.ErrorCode.MAILBOX_FULL).isPresent()) {
                throw new LinkRefusedException(LinkRefusedException.Reason.REUSED,
                        "this link code was already answered by a device; a link code works once");
            }
            throw e;
        }
        byte[] answer = DeviceLinks.poll(client, DeviceLinks.replyMailbox(code), wait, code.expiresAt(), options.clock())
                .orElseThrow(() -> new LinkRefusedException(LinkRefusedException.Reason.TIMED_OUT,
                        "the new device did not answer within " + wait.toSeconds() + " s; nothing was added"));
        DeviceLinks.Reply reply = DeviceLinks.openReply(sealed.replyKey(), sealed.existingEphemeral(), code, answer);
        if (!reply.deviceKey().equals(key)) {
            throw new LinkRefusedException(LinkRefusedException.Reason.TAMPERED,
                    "the new device answered with another device key than its code shows; nothing was added");
        }
        SignedDeviceList current = ownDevices().orElseThrow();
        if (current.device(reply.deviceId()).isPresent() || reply.deviceId() < deviceId
                || reply.deviceId() > deviceId + SignedDeviceList.MAX_DEVICES) {
            throw new LinkRefusedException(LinkRefusedException.Reason.BAD_DEVICE_LIST, "the new device answered with"
                    + " device id " + reply.deviceId() + ", which is not free in the account's list; nothing was added");
        }
        List<SignedDeviceList.Device> devices = new java.util.ArrayList<>(current.devices());
        devices.add(new SignedDeviceList.Device(reply.deviceId(), key, name, options.clock().instant()));
        return publishDevices(devices);
    }

    /**
     * Unlinks a device of this account: signs and publishes the list without it. The relay then
     * removes it at once (its mailbox goes, it can no longer authenticate, and it is told); contacts
     * forget it at their next lookup. This device cannot remove itself.
     */
    public SignedDeviceList unlink(int deviceId) throws ServiceException, StoreException {
        if (deviceId == account.deviceId()) {
            throw new ServiceException("device " + deviceId + " is this device; unlink it from another device of the"
                    + " account");
        }
        SignedDeviceList own = refreshOwnDevices();
        if (own.device(deviceId).isEmpty()) {
            throw new ServiceException("device " + deviceId + " is not in this account's device list (version "
                    + own.version() + ")");
        }
        List<SignedDeviceList.Device> rest = own.devices().stream().filter(d -> d.deviceId() != deviceId).toList();
        return publishDevices(rest);
    }

    /** Fetches the relay's current keys for a contact and records any change. */
    public KeyDirectory.Observation refreshKeys(Contact contact) throws ServiceException, StoreException {
        return directory.observe(contact.handle(), auditor.lookup(online(), contact.handle()));
    }

    /** How a send ended for the caller. */
    public record SendResult(StoredMessage message, MessageStatus status) {
    }

    /**
     * Stores the text and, when connected, sends it: returns once the relay accepted it, or with
     * the message still {@link MessageStatus#QUEUED} (offline; it goes out at the next connection)
     * or {@link MessageStatus#HELD} (the contact's key changed after verification: review first).
     */
    public SendResult send(String handle, String text) throws ServiceException, StoreException {
        Contact contact = directory.require(handle);
        StoredMessage stored = outgoing.queueText(contact, text);
        if (relay != null) {
            flush();
        }
        MessageStatus status = store.messages().get(stored.id()).map(StoredMessage::status).orElse(stored.status());
        return new SendResult(stored, status);
    }

    /** Sends what the outbox holds; returns how many envelopes still wait. */
    public int flush() throws ServiceException, StoreException {
        return announced(outgoing.flush(online())).waiting();
    }

    /** Key changes found while sending (a contact's new device, say) are announced like those found receiving. */
    private Outgoing.FlushResult announced(Outgoing.FlushResult result) {
        result.changes().forEach(listener::keysChanged);
        return result;
    }

    private void flushQuietly() {
        try {
            if (relay != null) {
                announced(outgoing.flush(relay));
            }
        } catch (StoreException | RuntimeException e) {
            listener.problem("could not send queued messages yet: " + e.getMessage());
        }
    }

    /**
     * Waits until the relay has had {@code quiet} without a delivery and every delivered envelope
     * has been processed, or {@code max} passed; then sends the receipts that processing queued.
     */
    public void awaitQuiet(Duration quiet, Duration max) throws ServiceException, StoreException {
        long deadline = System.nanoTime() + max.toNanos();
        lastDelivery.compareAndSet(0, System.nanoTime());
        while (System.nanoTime() < deadline) {
            if (inFlight.get() == 0 && System.nanoTime() - lastDelivery.get() >= quiet.toNanos()) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (relay != null) {
            flush();
        }
    }

    /**
     * Waits until every envelope that was in the mailbox when this device connected has been
     * delivered (the relay says so) and processed, or {@code max} passed; then sends the receipts
     * that processing queued. What arrives later is processed as it comes.
     */
    public void awaitMailbox(Duration max) throws ServiceException, StoreException {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            if (backlogDelivered.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
                while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (relay != null) {
            flush();
        }
    }

    /** The newest {@code limit} messages with a contact, oldest first. */
    public List<StoredMessage> history(Contact contact, int limit) throws StoreException {
        Optional<Long> conversation = store.conversations().find(contact.handle());
        if (conversation.isEmpty()) {
            return List.of();
        }
        List<StoredMessage> newest = new java.util.ArrayList<>(store.messages().newest(conversation.get(), limit));
        Collections.reverse(newest);
        return newest;
    }

    /** Incoming messages not yet shown, oldest first, across conversations. */
    public List<StoredMessage> unread(int limit) throws StoreException {
        return store.messages().withStatus(MessageStatus.UNREAD, 0, limit);
    }

    /**
     * Marks every unread message of the conversation read, as {@link #markRead} does: opening a
     * conversation in the app reads all of it, not only the page it shows.
     */
    public void markConversationRead(long conversationId) throws StoreException {
        store.context().database().transaction(connection -> {
            markRead(store.messages().withStatus(MessageStatus.UNREAD, conversationId, Integer.MAX_VALUE));
            return null;
        });
    }

    /**
     * Marks exactly these messages shown, and queues their read state for this account's other devices (sent at
     * the next flush: docs/devices.md, "Read state").
     */
    public void markRead(List<StoredMessage> messages) throws StoreException {
        store.context().database().transaction(connection -> {
            java.util.Set<Long> conversations = new java.util.TreeSet<>();
            List<StoredMessage> read = new java.util.ArrayList<>();
            for (StoredMessage m : messages) {
                if (m.status() == MessageStatus.UNREAD) {
                    read.add(m);
                }
                store.messages().updateStatus(m.id(), MessageStatus.READ);
                conversations.add(m.conversationId());
            }
            for (long c : conversations) {
                store.conversations().recountUnread(c);
            }
            outgoing.queueRead(read);
            return null;
        });
    }

    public String peerOf(StoredMessage message) throws StoreException {
        return store.conversations().peer(message.conversationId());
    }

    /** What a review shows: the contact, its key history and the messages held for it. */
    public record Review(Contact contact, List<KeyEvent> history, List<StoredMessage> held,
                         Optional<Instant> remindLater) {
        public boolean pending() {
            return contact.verification() == VerificationState.CHANGED_AFTER_VERIFIED;
        }
    }

    public Review review(String handle) throws ServiceException, StoreException {
        return review(directory.require(handle));
    }

    private Review review(Contact contact) throws StoreException {
        return new Review(contact, directory.history(contact), ReviewReminders.held(store, contact),
                reminders.at(contact.handle()));
    }

    /**
     * Every contact with a key change waiting for review or messages held, in the order they were
     * added ({@code vouch review} without a handle).
     */
    public List<Review> reviews() throws StoreException {
        List<Review> out = new java.util.ArrayList<>();
        for (Contact contact : directory.list()) {
            Review review = review(contact);
            if (review.pending() || !review.held().isEmpty()) {
                out.add(review);
            }
        }
        return out;
    }

    /** The clock the service keeps time by (reminders, key events, message times); tests move it. */
    public Clock clock() {
        return options.clock();
    }

    /** "Remind me later" reminders: which are due, and telling each once. */
    public ReviewReminders reminders() {
        return reminders;
    }

    /**
     * Accepts a reviewed key change: the contact becomes unverified with its new key, and the held
     * messages are encrypted to it and sent (each exactly once). Returns how many were released.
     */
    public int approve(String handle) throws ServiceException, StoreException {
        Contact contact = directory.require(handle);
        if (contact.verification() != VerificationState.CHANGED_AFTER_VERIFIED) {
            throw new ServiceException(contact.handle() + " has no key change waiting for review");
        }
        int released = store.context().database().transaction(connection -> {
            directory.acceptChange(contact);
            reminders.clear(contact.handle());
            return outgoing.release(contact);
        });
        if (relay != null) {
            flush();
        }
        return released;
    }

    /**
     * "Remind me later": messages stay held; the reminder falls due {@code after} from now and is
     * then told once ({@link #reminders()}). A new one replaces the one set before.
     */
    public Instant remindLater(String handle, Duration after) throws ServiceException, StoreException {
        Contact contact = directory.require(handle);
        if (contact.verification() != VerificationState.CHANGED_AFTER_VERIFIED) {
            throw new ServiceException(contact.handle() + " has no key change waiting for review");
        }
        return reminders.set(contact.handle(), after);
    }

    /** The state of key transparency for {@code vouch log status} and the app. */
    public TransparencyStatus transparency() throws StoreException {
        return new TransparencyStatus(auditor.enabled(), auditor.newestHead().map(h -> h.head()), auditor.checkedAt(),
                auditor.monitoredUpTo(), auditor.alerts());
    }

    /** Where a contact's keys were last proven in the log. */
    public Optional<LogPosition> logPosition(Contact contact) throws StoreException {
        return auditor.position(contact.handle());
    }

    @Override
    public void close() {
        RelayClient client = relay;
        relay = null;
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            client.close();
        }
    }
}
