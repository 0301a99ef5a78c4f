package dev.vouch.service;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.AccessKey;
import dev.vouch.protocol.sealed.ContentType;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.OutgoingEnvelope;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.transparency.log.SignedTreeHead;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The way out: a message is stored first (so nothing typed is ever lost), encrypted for every
 * device of its recipient in one transaction with the outbox rows that carry it, and leaves the
 * outbox only in the transaction that records the relay's acceptance. A crash anywhere resends at
 * most an envelope the recipient already has, which its client drops as a duplicate.
 */
final class Outgoing {
    private static final int QUEUE_SCAN = 500;
    /** At most this many marks of each state wait for one's other devices; beyond it the oldest are forgotten. */
    private static final int MAX_PENDING_MARKS = 4 * Content.MAX_MARKS;
    private static final Set<ErrorCode> PERMANENT = EnumSet.of(ErrorCode.UNKNOWN_ACCOUNT, ErrorCode.HANDLE_INVALID,
            ErrorCode.TOO_LARGE, ErrorCode.BAD_FRAME);

    private final ProfileStore store;
    private final ProtocolStateDao protocolState;
    private final Account account;
    private final ProfileKey profileKey;
    private final KeyDirectory directory;
    private final LogAuditor auditor;
    private final Clock clock;
    private final SecureRandom random;
    private final SenderCertificate certificate;
    private final Object flushing = new Object();
    private final DeviceLists ownLists;
    /** Key changes found while looking recipients up during the current flush; guarded by {@link #flushing}. */
    private final List<KeyDirectory.Observation> changes = new ArrayList<>();

    Outgoing(ProfileStore store, ProtocolStateDao protocolState, Account account, ProfileKey profileKey,
             KeyDirectory directory, LogAuditor auditor, Clock clock, SecureRandom random) {
        this.store = store;
        this.protocolState = protocolState;
        this.account = account;
        this.profileKey = profileKey;
        this.directory = directory;
        this.auditor = auditor;
        this.clock = clock;
        this.random = random;
        this.ownLists = new DeviceLists(store, account, clock);
        this.certificate = new SenderCertificate(account.handle(), account.deviceId(), account.deviceIdentity().publicKey());
    }

    /** Stores an outgoing text: {@link MessageStatus#HELD} while the contact's key change awaits review. */
    StoredMessage queueText(Contact contact, String text) throws StoreException {
        Content.MessageId id = new Content.MessageId(randomBytes(Content.MESSAGE_ID_LENGTH));
        Instant now = clock.instant();
        new Content.Text(id, now, profileKey, text); // checks the length before anything is stored
        MessageStatus status = contact.verification() == VerificationState.CHANGED_AFTER_VERIFIED
                ? MessageStatus.HELD : MessageStatus.QUEUED;
        MessageBody body = MessageBody.text(Direction.OUTGOING, account.handle(), account.deviceId(), now, now, text)
                .withMessageId(id.bytes());
        return store.context().database().transaction(connection -> {
            long conversation = store.conversations().open(contact.handle());
            long rowId = store.messages().insert(new MessageDao.NewMessage(conversation, MessageUids.outgoing(id),
                    status, body)).orElseThrow(() -> new StoreException("message id collision"));
            return StoredMessage.intact(rowId, conversation, status, body);
        });
    }

    /** Held messages of a reviewed contact go back to the queue, to be encrypted to the accepted keys. */
    int release(Contact contact) throws StoreException {
        Optional<Long> conversation = store.conversations().find(contact.handle());
        if (conversation.isEmpty()) {
            return 0;
        }
        return store.context().database().transaction(connection -> {
            List<StoredMessage> held = store.messages().withStatus(MessageStatus.HELD, conversation.get(), Integer.MAX_VALUE);
            for (StoredMessage m : held) {
                store.messages().updateStatus(m.id(), MessageStatus.QUEUED);
            }
            return held.size();
        });
    }

    /** Encrypts and queues a receipt for messages just stored from {@code sender}. */
    void queueReceipt(ProtocolAddress sender, List<Content.MessageId> delivered) throws StoreException {
        Content receipt = new Content.Receipt(new Content.MessageId(randomBytes(Content.MESSAGE_ID_LENGTH)),
                clock.instant(), profileKey, auditor.newestHead(), delivered);
        store.context().database().transaction(connection -> {
            store.outbox().add(0, sender.name(), sender.deviceId(), recipientKey(sender), seal(sender, receipt));
            return null;
        });
    }

    /** A state of messages this account's devices tell each other, with where its marks wait to be sent. */
    enum SyncedState {
        READ("sync.read.pending"),
        DELIVERED("sync.delivered.pending");

        /** The setting (sealed like every setting) that holds the marks not yet sent, oldest first. */
        final String pending;

        SyncedState(String pending) {
            this.pending = pending;
        }

        Content.StateSync content(Content.MessageId id, Instant at, ProfileKey key, Optional<SignedTreeHead> head,
                                  List<Content.Mark> marks) {
            return this == READ ? new Content.Read(id, at, key, head, marks)
                    : new Content.Delivered(id, at, key, head, marks);
        }
    }

    /**
     * Remembers that these received messages were read here, to tell this account's other devices at
     * the next flush; joins the caller's transaction. Outgoing and damaged messages are left out.
     */
    void queueRead(List<StoredMessage> messages) throws StoreException {
        List<Content.Mark> marks = new ArrayList<>();
        for (StoredMessage m : messages) {
            if (!m.isDamaged() && m.body().direction() == Direction.INCOMING
                    && m.body().messageId().length == Content.MESSAGE_ID_LENGTH) {
                marks.add(new Content.Mark(m.body().senderHandle(), new Content.MessageId(m.body().messageId())));
            }
        }
        queueMarks(SyncedState.READ, marks);
    }

    /**
     * Remembers that a contact confirmed these messages of ours delivered (to this device, which
     * sent them), to tell this account's other devices at the next flush; joins the caller's transaction.
     */
    void queueDelivered(List<Content.Mark> marks) throws StoreException {
        queueMarks(SyncedState.DELIVERED, marks);
    }

    private void queueMarks(SyncedState state, List<Content.Mark> marks) throws StoreException {
        if (marks.isEmpty()) {
            return;
        }
        store.context().database().transaction(connection -> {
            List<Content.Mark> pending = new ArrayList<>(pending(state));
            pending.addAll(marks);
            if (pending.size() > MAX_PENDING_MARKS) {
                pending = pending.subList(pending.size() - MAX_PENDING_MARKS, pending.size());
            }
            StringBuilder value = new StringBuilder();
            for (Content.Mark mark : pending) {
                value.append(mark.peer()).append(' ').append(mark.messageId()).append('\n');
            }
            store.settings().put(state.pending, value.toString());
            return null;
        });
    }

    /** The marks of {@code state} waiting for this account's other devices, oldest first. */
    private List<Content.Mark> pending(SyncedState state) throws StoreException {
        Optional<String> value = store.settings().get(state.pending);
        if (value.isEmpty()) {
            return List.of();
        }
        List<Content.Mark> marks = new ArrayList<>();
        for (String line : value.get().split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                marks.add(new Content.Mark(line.substring(0, space),
                        new Content.MessageId(HexFormat.of().parseHex(line.substring(space + 1)))));
            }
        }
        return marks;
    }

    /**
     * Seals the pending read and delivery marks to this account's other devices, in the transaction
     * that forgets them. With no other device in the account's list, they are dropped: nothing to
     * sync. When the other devices cannot be reached now, they wait for the next flush.
     */
    private void encryptStateSync(RelayClient relay, SortedMap<Integer, DeviceIdentityKey> ownDevices)
            throws StoreException {
        Map<SyncedState, List<Content.Mark>> pending = new EnumMap<>(SyncedState.class);
        for (SyncedState state : SyncedState.values()) {
            List<Content.Mark> marks = pending(state);
            if (!marks.isEmpty()) {
                pending.put(state, marks);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        Optional<SignedDeviceList> list = ownLists.own();
        boolean alone = list.isEmpty() || list.get().devices().stream().allMatch(d -> d.deviceId() == account.deviceId());
        SortedMap<Integer, DeviceIdentityKey> own = alone ? new TreeMap<>()
                : ownDevices != null ? ownDevices : ownOtherDevices(relay);
        if (!alone && own.isEmpty()) {
            return;
        }
        store.context().database().transaction(connection -> {
            for (Map.Entry<SyncedState, List<Content.Mark>> e : pending.entrySet()) {
                List<Content.Mark> marks = e.getValue();
                for (int from = 0; from < marks.size(); from += Content.MAX_MARKS) {
                    Content sync = e.getKey().content(new Content.MessageId(randomBytes(Content.MESSAGE_ID_LENGTH)),
                            clock.instant(), profileKey, auditor.newestHead(),
                            marks.subList(from, Math.min(marks.size(), from + Content.MAX_MARKS)));
                    for (Integer deviceId : own.keySet()) {
                        ProtocolAddress address = new ProtocolAddress(account.handle(), deviceId);
                        store.outbox().add(0, address.name(), address.deviceId(), recipientKey(address),
                                seal(address, sync));
                    }
                }
                store.settings().remove(e.getKey().pending);
            }
            return null;
        });
    }

    /** What one flush did, and the key changes it found (to be announced). */
    record FlushResult(int sent, int failed, int held, int waiting, List<KeyDirectory.Observation> changes) {
    }

    /**
     * Encrypts queued messages and hands every outbox envelope to the relay, oldest first. Stops at
     * the first failure that later may cure (offline, rate limit, quota): the rest waits for the next flush.
     */
    FlushResult flush(RelayClient relay) throws StoreException {
        synchronized (flushing) {
            changes.clear();
            int held = 0;
            int sent = 0;
            int failed = 0;
            // A stale device sends its messages back to be encrypted to the new key: one more pass (bounded).
            for (int pass = 0; pass < 3; pass++) {
                held += encryptQueued(relay);
                boolean stale = false;
                for (OutgoingEnvelope envelope : store.outbox().pending()) {
                    Delivery result = deliver(relay, envelope);
                    if (result == Delivery.ACCEPTED) {
                        sent++;
                    } else if (result == Delivery.REFUSED) {
                        failed++;
                    } else if (result == Delivery.STALE) {
                        stale = true;
                    } else {
                        return new FlushResult(sent, failed, held, store.outbox().size(), List.copyOf(changes));
                    }
                }
                if (!stale) {
                    break;
                }
            }
            return new FlushResult(sent, failed, held, store.outbox().size(), List.copyOf(changes));
        }
    }

    private int encryptQueued(RelayClient relay) throws StoreException {
        int held = 0;
        // One lookup of each recipient's device list per pass, shared by its queued messages.
        Map<String, Optional<SortedMap<Integer, DeviceIdentityKey>>> ready = new HashMap<>();
        SortedMap<Integer, DeviceIdentityKey> ownDevices = null;
        for (StoredMessage message : store.messages().withStatus(MessageStatus.QUEUED, 0, QUEUE_SCAN)) {
            if (message.isDamaged() || store.outbox().hasEnvelopes(message.id())) {
                continue;
            }
            String peer = store.conversations().peer(message.conversationId());
            Contact contact = store.contacts().find(peer).orElse(null);
            if (contact == null) {
                store.messages().updateStatus(message.id(), MessageStatus.FAILED);
                continue;
            }
            Optional<SortedMap<Integer, DeviceIdentityKey>> devices;
            try {
                Optional<SortedMap<Integer, DeviceIdentityKey>> checked = ready.get(contact.handle());
                if (checked == null) {
                    checked = readyDevices(relay, contact);
                    ready.put(contact.handle(), checked);
                }
                devices = checked;
            } catch (StateUnavailableException e) {
                throw new StoreException(e.getMessage());
            } catch (ServiceException e) {
                if (e instanceof RelayFailureException failure && isPermanent(failure)) {
                    store.messages().updateStatus(message.id(), MessageStatus.FAILED);
                    continue;
                }
                return held; // offline or refused for now: try again at the next flush
            }
            if (devices.isEmpty()) {
                store.messages().updateStatus(message.id(), MessageStatus.HELD);
                held++;
                continue;
            }
            if (devices.get().isEmpty()) {
                continue; // no listed device has prekeys: the message waits for the next flush
            }
            MessageBody body = message.body();
            Content content = new Content.Text(new Content.MessageId(body.messageId()), body.sentAt(), profileKey,
                    auditor.newestHead(), body.text());
            if (ownDevices == null) {
                ownDevices = ownOtherDevices(relay);
            }
            SortedMap<Integer, DeviceIdentityKey> own = ownDevices;
            Content copy = new Content.Sent(new Content.MessageId(body.messageId()), body.sentAt(), profileKey,
                    auditor.newestHead(), contact.handle(), body.text());
            store.context().database().transaction(connection -> {
                for (Integer deviceId : devices.get().keySet()) {
                    ProtocolAddress address = new ProtocolAddress(contact.handle(), deviceId);
                    store.outbox().add(message.id(), address.name(), address.deviceId(), recipientKey(address),
                            seal(address, content));
                }
                for (Integer deviceId : own.keySet()) {
                    ProtocolAddress address = new ProtocolAddress(account.handle(), deviceId);
                    store.outbox().add(message.id(), address.name(), address.deviceId(), recipientKey(address),
                            seal(address, copy));
                }
                return null;
            });
        }
        encryptStateSync(relay, ownDevices);
        return held;
    }

    /**
     * The recipient's devices to encrypt to: those of its current signed device list (looked up
     * and checked again, once per flush: docs/devices.md, "Fan-out") that have a session, fetching
     * bundles for listed devices without one; a listed device without prekeys is left out. Empty
     * when the contact's key set changed after verification and messages must wait for review.
     */
    private Optional<SortedMap<Integer, DeviceIdentityKey>> readyDevices(RelayClient relay, Contact contact)
            throws ServiceException, StoreException, StateUnavailableException {
        if (contact.verification() == VerificationState.CHANGED_AFTER_VERIFIED) {
            return Optional.empty();
        }
        KeyDirectory.Observation seen = noted(directory.observe(contact.handle(),
                auditor.lookup(relay, contact.handle())));
        if (seen.contact().verification() == VerificationState.CHANGED_AFTER_VERIFIED) {
            return Optional.empty();
        }
        boolean complete = true;
        for (Integer deviceId : protocolState.devicesOf(contact.handle()).keySet()) {
            complete &= protocolState.hasSendableSession(new ProtocolAddress(contact.handle(), deviceId));
        }
        if (!complete) {
            LogAuditor.ProvenBundles bundles = auditor.bundles(relay, contact.handle());
            seen = noted(directory.observe(contact.handle(), bundles.proven()));
            if (seen.contact().verification() == VerificationState.CHANGED_AFTER_VERIFIED) {
                return Optional.empty();
            }
            for (PreKeyBundle bundle : bundles.bundles()) {
                ProtocolAddress address = new ProtocolAddress(contact.handle(), bundle.deviceId());
                if (!protocolState.hasSendableSession(address)) {
                    try {
                        // Over a session restored from an archive, the new one becomes current and the
                        // old one stays to decrypt what the contact sent before they see the new one.
                        new SessionBuilder(protocolState, address, random).process(bundle);
                        protocolState.reviveSession(address);
                    } catch (ProtocolException e) {
                        throw new ServiceException("could not start a session with " + address + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        SortedMap<Integer, DeviceIdentityKey> ready = new TreeMap<>();
        for (Map.Entry<Integer, DeviceIdentityKey> device : protocolState.devicesOf(contact.handle()).entrySet()) {
            if (protocolState.loadSession(new ProtocolAddress(contact.handle(), device.getKey())).isPresent()) {
                ready.put(device.getKey(), device.getValue());
            }
        }
        return Optional.of(ready);
    }

    /**
     * This account's other devices that get a copy of each sent text (sent-message sync,
     * docs/devices.md): those of its own signed list as the relay proves it now, which this account
     * key must have signed at a version not below the one this device holds, each with a session
     * (started from a fresh bundle when needed). Empty when this device is the only one, or when
     * the list cannot be had now: the texts then go to their recipients without copies.
     */
    private SortedMap<Integer, DeviceIdentityKey> ownOtherDevices(RelayClient relay) throws StoreException {
        SortedMap<Integer, DeviceIdentityKey> ready = new TreeMap<>();
        Optional<SignedDeviceList> own = ownLists.own();
        if (own.isEmpty() || own.get().devices().stream().allMatch(d -> d.deviceId() == account.deviceId())) {
            return ready;
        }
        String self = account.handle();
        try {
            RelayConnection.Lookup proven = auditor.lookup(relay, self);
            SignedDeviceList list = SignedDeviceList.decode(proven.deviceList().orElseThrow(),
                    account.accountIdentity().publicKey());
            if (!proven.accountKey().equals(account.accountIdentity().publicKey())
                    || list.version() < own.get().version()) {
                return ready;
            }
            SortedMap<Integer, DeviceIdentityKey> known = protocolState.devicesOf(self);
            for (Map.Entry<Integer, DeviceIdentityKey> gone : known.entrySet()) {
                if (!list.lists(gone.getKey(), gone.getValue())) {
                    protocolState.forgetDevice(new ProtocolAddress(self, gone.getKey()));
                }
            }
            boolean complete = true;
            for (SignedDeviceList.Device device : list.devices()) {
                ProtocolAddress address = new ProtocolAddress(self, device.deviceId());
                if (device.deviceId() == account.deviceId()) {
                    continue;
                }
                if (!device.key().equals(known.get(device.deviceId()))) {
                    protocolState.saveIdentity(address, device.key());
                }
                complete &= protocolState.loadSession(address).isPresent();
            }
            if (!complete) {
                // Bundles spend one-time prekeys: fetched only when one of our devices needs a session.
                for (PreKeyBundle bundle : auditor.bundles(relay, self).bundles()) {
                    ProtocolAddress address = new ProtocolAddress(self, bundle.deviceId());
                    if (bundle.deviceId() != account.deviceId() && list.lists(bundle.deviceId(), bundle.identityKey())
                            && protocolState.loadSession(address).isEmpty()) {
                        new SessionBuilder(protocolState, address, random).process(bundle);
                    }
                }
            }
            for (SignedDeviceList.Device device : list.devices()) {
                ProtocolAddress address = new ProtocolAddress(self, device.deviceId());
                if (device.deviceId() != account.deviceId() && protocolState.loadSession(address).isPresent()) {
                    ready.put(device.deviceId(), device.key());
                }
            }
        } catch (StateUnavailableException e) {
            throw new StoreException(e.getMessage());
        } catch (ServiceException | ProtocolException e) {
            ready.clear(); // no copies this time; the texts themselves still go out
        }
        return ready;
    }

    private KeyDirectory.Observation noted(KeyDirectory.Observation seen) {
        if (!seen.events().isEmpty()) {
            changes.add(seen);
        }
        return seen;
    }

    private byte[] recipientKey(ProtocolAddress address) throws StoreException {
        try {
            return protocolState.identity(address).orElseThrow(
                    () -> new StoreException("no identity key stored for " + address)).serialize();
        } catch (StateUnavailableException e) {
            throw new StoreException(e.getMessage());
        }
    }

    /** Ratchet-encrypts {@code content} for one device and seals it with our sender certificate. */
    private byte[] seal(ProtocolAddress address, Content content) throws StoreException {
        try {
            DeviceIdentityKey recipient = protocolState.identity(address).orElseThrow(
                    () -> new StoreException("no identity key stored for " + address));
            byte[] inner = new SessionCipher(protocolState, address).encrypt(content.encode());
            return SealedSender.seal(account.deviceIdentity(), certificate, recipient, ContentType.SESSION_MESSAGE,
                    inner, random);
        } catch (StateUnavailableException e) {
            throw new StoreException(e.getMessage());
        } catch (ProtocolException e) {
            throw new StoreException("could not encrypt for " + address + ": " + e.getMessage());
        }
    }

    private enum Delivery { ACCEPTED, REFUSED, STALE, LATER }

    private Delivery deliver(RelayClient relay, OutgoingEnvelope envelope) throws StoreException {
        Optional<ProfileKey> theirs = store.contacts().find(envelope.recipient()).flatMap(Contact::profileKey);
        DeviceIdentityKey recipientKey;
        try {
            recipientKey = DeviceIdentityKey.decode(envelope.recipientKey());
        } catch (dev.vouch.protocol.MalformedDataException e) {
            throw new StoreException("outbox entry " + envelope.id() + " names a malformed device key");
        }
        try {
            try {
                if (theirs.isPresent()) {
                    RelayCalls.await(relay.send(envelope.recipient(), envelope.deviceId(), envelope.envelope(),
                            AccessKey.derive(theirs.get().bytes()), recipientKey));
                } else {
                    RelayCalls.await(relay.sendIdentified(envelope.recipient(), envelope.deviceId(), envelope.envelope(),
                            recipientKey));
                }
            } catch (RelayFailureException e) {
                // A stale profile key (the contact rotated it): fall back to naming ourselves.
                if (theirs.isEmpty() || RelayCalls.code(e).orElse(null) != ErrorCode.FORBIDDEN) {
                    throw e;
                }
                RelayCalls.await(relay.sendIdentified(envelope.recipient(), envelope.deviceId(), envelope.envelope(),
                        recipientKey));
            }
        } catch (RelayFailureException e) {
            if (envelope.recipient().equals(account.handle()) && (isPermanent(e)
                    || RelayCalls.code(e).orElse(null) == ErrorCode.STALE_DEVICE)) {
                // a copy for one of our own devices is best effort: its message does not wait for it
                settle(envelope, MessageStatus.SENT);
                return Delivery.ACCEPTED;
            }
            if (RelayCalls.code(e).orElse(null) == ErrorCode.STALE_DEVICE) {
                return restale(relay, envelope);
            }
            if (!isPermanent(e)) {
                return Delivery.LATER;
            }
            settle(envelope, MessageStatus.FAILED);
            return Delivery.REFUSED;
        }
        settle(envelope, MessageStatus.SENT);
        return Delivery.ACCEPTED;
    }

    /**
     * The device has another key than the one this envelope was encrypted to: drop the envelope,
     * record the new keys (which may hold the contact for review), and leave its message queued to
     * be encrypted again. A receipt is simply dropped.
     */
    private Delivery restale(RelayClient relay, OutgoingEnvelope envelope) throws StoreException {
        store.context().database().transaction(connection -> {
            store.outbox().remove(envelope);
            return null;
        });
        try {
            noted(directory.observe(envelope.recipient(), auditor.lookup(relay, envelope.recipient())));
        } catch (ServiceException e) {
            return Delivery.LATER;
        }
        return Delivery.STALE;
    }

    /** Removes the envelope and, with its message's last one, moves the message on, in one transaction. */
    private void settle(OutgoingEnvelope envelope, MessageStatus status) throws StoreException {
        store.context().database().transaction(connection -> {
            int left = store.outbox().remove(envelope);
            if (envelope.messageId() != 0 && (left == 0 || status == MessageStatus.FAILED)) {
                Optional<StoredMessage> message = store.messages().get(envelope.messageId());
                if (message.isPresent() && message.get().status() == MessageStatus.QUEUED) {
                    store.messages().updateStatus(envelope.messageId(), status);
                }
            }
            return null;
        });
    }

    /** Refusals that no retry cures: the account or device is gone, or the handle cannot exist. */
    private static boolean isPermanent(RelayFailureException failure) {
        Optional<ErrorCode> code = RelayCalls.code(failure);
        return code.isPresent() && PERMANENT.contains(code.get());
    }

    private byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }
}
