package dev.vouch.service;

import dev.vouch.protocol.DuplicateMessageException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.protocol.sealed.UnsealedMessage;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Handles;
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
import dev.vouch.store.model.StoredMessage;
import dev.vouch.transparency.log.SignedTreeHead;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The way in, one envelope at a time in the relay's order: open the sealed envelope, make sure
 * the sender's key is the one the relay lists for that handle (recording a known device's new key
 * at once, a new device with the message it brings), decrypt and store in the one transaction that
 * advances the ratchet, and only then acknowledge. Duplicates
 * and replays are acknowledged and dropped; envelopes that can never be read are dropped; a store
 * failure leaves the envelope on the relay for a later try.
 */
final class Inbox {
    /** What became of one envelope. */
    enum Outcome { STORED, RECEIPT, DUPLICATE, DROPPED, RETRY_LATER }

    private final ProfileStore store;
    private final ProtocolStateDao protocolState;
    private final Account account;
    private final KeyDirectory directory;
    private final Outgoing outgoing;
    private final LogAuditor auditor;
    private final Clock clock;
    private final MessengerListener listener;

    Inbox(ProfileStore store, ProtocolStateDao protocolState, Account account, KeyDirectory directory,
          Outgoing outgoing, LogAuditor auditor, Clock clock, MessengerListener listener) {
        this.store = store;
        this.protocolState = protocolState;
        this.account = account;
        this.directory = directory;
        this.outgoing = outgoing;
        this.auditor = auditor;
        this.clock = clock;
        this.listener = listener;
    }

    Outcome process(RelayClient relay, Frames.Deliver deliver) {
        Outcome outcome;
        try {
            outcome = receive(relay, deliver);
        } catch (StoreException | StateUnavailableException e) {
            listener.problem("could not store an incoming message; it stays on the relay for a later try: "
                    + e.getMessage());
            return Outcome.RETRY_LATER;
        } catch (ServiceException e) {
            // Unreachable relay, or keys that fail the transparency checks (an alert is recorded): the
            // envelope stays on the relay rather than be read with keys we cannot trust.
            listener.problem("could not check a sender's keys with the relay; will try again: " + e.getMessage());
            return Outcome.RETRY_LATER;
        }
        // Acknowledged only after the outcome is durable; an unanswered ack means one redelivery, dropped as a duplicate.
        relay.ack(deliver.envelopeId());
        return outcome;
    }

    private Outcome receive(RelayClient relay, Frames.Deliver deliver)
            throws StoreException, StateUnavailableException, ServiceException {
        UnsealedMessage unsealed;
        try {
            unsealed = SealedSender.open(account.deviceIdentity(), deliver.envelope());
        } catch (ProtocolException e) {
            listener.problem("dropped an envelope that does not open: " + e.getMessage());
            return Outcome.DROPPED;
        }
        SenderCertificate sender = unsealed.sender();
        Optional<String> handle = Handles.normalize(sender.handle());
        if (handle.isEmpty() || !handle.get().equals(sender.handle())
                || (handle.get().equals(account.handle()) && sender.deviceId() == account.deviceId())) {
            listener.problem("dropped an envelope with an impossible sender");
            return Outcome.DROPPED;
        }
        ProtocolAddress address = sender.address();
        Optional<DeviceIdentityKey> known = protocolState.identity(address);
        RelayConnection.Lookup firstSight = null;
        if (known.isEmpty() || !known.get().equals(sender.identityKey())) {
            // A key we have not seen for this sender: believe it only if the relay lists it under
            // that handle, signed by the account key (a stranger cannot claim someone's handle).
            RelayConnection.Lookup served = auditor.lookup(relay, handle.get());
            boolean listed = served.devices().stream().anyMatch(d -> d.deviceId() == sender.deviceId()
                    && d.deviceKey().equals(sender.identityKey()));
            if (!listed) {
                listener.problem("dropped a message claiming to be from " + handle.get()
                        + " with a key the relay does not list for that account");
                return Outcome.DROPPED;
            }
            if (handle.get().equals(account.handle())) {
                // Another device of this account, in our own signed list: no contact, just its key.
                if (known.isPresent()) {
                    protocolState.deleteSession(address);
                }
                protocolState.saveIdentity(address, sender.identityKey());
            } else if (known.isEmpty()) {
                // A device seen for the first time is recorded with the message it brings, in the
                // decrypting transaction: an envelope that does not decrypt leaves no contact behind.
                firstSight = served;
            } else {
                // A known device with another key: the relay vouches for the change, record it now
                // (it also clears the old session, which the new key's message needs).
                KeyDirectory.Observation seen = directory.observe(handle.get(), served);
                if (!seen.events().isEmpty()) {
                    listener.keysChanged(seen);
                }
            }
        }
        RelayConnection.Lookup observeWithMessage = firstSight;
        Received received;
        try {
            received = new SessionCipher(protocolState, address).decrypt(unsealed.inner(),
                    plaintext -> store(address, plaintext, deliver.time(), observeWithMessage));
        } catch (DuplicateMessageException e) {
            return Outcome.DUPLICATE;
        } catch (StateUnavailableException e) {
            throw e;
        } catch (ProtocolException e) {
            listener.problem("dropped a message from " + address + " that does not decrypt: " + e.getMessage());
            return Outcome.DROPPED;
        } catch (StoreFailure e) {
            throw e.cause;
        }
        if (received.seen != null && !received.seen.events().isEmpty()) {
            listener.keysChanged(received.seen);
        }
        if (received.head.isPresent()) {
            auditor.gossip(relay, address.name(), received.head.get());
        }
        if (received.message != null && address.name().equals(account.handle())) {
            return Outcome.STORED; // a copy of a text sent from another of our devices: no receipt
        }
        if (received.message != null) {
            outgoing.queueReceipt(address, List.of(received.id));
            listener.received(received.message, received.from);
            return Outcome.STORED;
        }
        if (received.delivered != null) {
            received.delivered.forEach(listener::delivered);
            return Outcome.RECEIPT;
        }
        return received.duplicate ? Outcome.DUPLICATE : Outcome.DROPPED;
    }

    /**
     * A text this account sent from another of its devices (sent-message sync): stored as our own
     * outgoing message, sent, in the conversation with its recipient, under the message id the
     * sending device stored it with. Runs inside the ratchet's transaction.
     */
    private Received storeCopy(ProtocolAddress from, Content.Sent sent, long relayTime) throws StoreException {
        long conversation = store.conversations().open(sent.recipient());
        Instant received = relayTime > 0 ? Instant.ofEpochMilli(relayTime) : clock.instant();
        MessageBody body = MessageBody.text(Direction.OUTGOING, account.handle(), from.deviceId(), sent.sentAt(),
                received, sent.text()).withMessageId(sent.messageId().bytes());
        OptionalLong id = store.messages().insert(new MessageDao.NewMessage(conversation,
                MessageUids.outgoing(sent.messageId()), MessageStatus.SENT, body));
        if (id.isEmpty()) {
            return new Received(null, null, sent.messageId(), null, true, null, sent.treeHead());
        }
        return new Received(StoredMessage.intact(id.getAsLong(), conversation, MessageStatus.SENT, body), null,
                sent.messageId(), null, false, null, sent.treeHead());
    }

    /**
     * Read state from another of our devices: each named message stored here and still unread
     * becomes read, and its conversation's unread count follows. Messages not here (yet), and
     * outgoing ones, are left alone. Runs inside the ratchet's transaction.
     */
    private Received markRead(Content.Read read) throws StoreException {
        java.util.Set<Long> conversations = new java.util.TreeSet<>();
        for (Content.Mark mark : read.marks()) {
            Optional<StoredMessage> message = store.messages().findByUid(
                    MessageUids.incoming(mark.peer(), mark.messageId()));
            if (message.isPresent() && message.get().status() == MessageStatus.UNREAD && !message.get().isDamaged()
                    && message.get().body().direction() == Direction.INCOMING) {
                store.messages().updateStatus(message.get().id(), MessageStatus.READ);
                conversations.add(message.get().conversationId());
            }
        }
        for (long conversation : conversations) {
            store.conversations().recountUnread(conversation);
        }
        return new Received(null, null, read.messageId(), List.of(), false, null, read.treeHead());
    }

    /**
     * Delivery state from another of our devices: each named message of ours, sent or copied here,
     * becomes delivered when its recipient is the contact the mark names (as a receipt counts only
     * from the conversation's peer). Runs inside the ratchet's transaction.
     */
    private Received markDelivered(Content.Delivered delivered) throws StoreException {
        List<Long> marked = new ArrayList<>();
        for (Content.Mark mark : delivered.marks()) {
            markDelivered(mark).ifPresent(marked::add);
        }
        return new Received(null, null, delivered.messageId(), marked, false, null, delivered.treeHead());
    }

    /**
     * Makes the named message of ours delivered when it is still sent or queued and belongs to the
     * conversation with the mark's peer: only that peer can confirm it. Its row id, when it changed.
     */
    private Optional<Long> markDelivered(Content.Mark mark) throws StoreException {
        Optional<StoredMessage> ours = store.messages().findByUid(MessageUids.outgoing(mark.messageId()));
        Optional<Long> conversation = store.conversations().find(mark.peer());
        if (ours.isPresent() && conversation.isPresent() && ours.get().conversationId() == conversation.get()
                && (ours.get().status() == MessageStatus.SENT || ours.get().status() == MessageStatus.QUEUED)) {
            store.messages().updateStatus(ours.get().id(), MessageStatus.DELIVERED);
            return Optional.of(ours.get().id());
        }
        return Optional.empty();
    }

    /** The result of the work done inside the decrypting transaction. */
    private record Received(StoredMessage message, Contact from, Content.MessageId id, List<Long> delivered,
                            boolean duplicate, KeyDirectory.Observation seen, Optional<SignedTreeHead> head) {
    }

    /** Carries a store failure out of the decrypt callback, which rolls the ratchet step back with it. */
    private static final class StoreFailure extends RuntimeException {
        final StoreException cause;

        StoreFailure(StoreException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    /**
     * Runs inside the ratchet's transaction: what it stores commits with the ratchet step or not at
     * all. {@code firstSight}, when the sender's device is new to us, is what the relay lists for it.
     */
    private Received store(ProtocolAddress from, byte[] plaintext, long relayTime, RelayConnection.Lookup firstSight) {
        try {
            KeyDirectory.Observation seen = firstSight == null ? null : directory.observe(from.name(), firstSight);
            Content content;
            try {
                content = Content.decode(plaintext);
            } catch (UnknownTypeException e) {
                listener.problem("a message from " + from.name() + " uses a newer format; update Vouch to read it");
                return new Received(null, null, null, null, false, seen, Optional.empty());
            } catch (MalformedDataException e) {
                listener.problem("dropped a malformed message from " + from.name());
                return new Received(null, null, null, null, false, seen, Optional.empty());
            }
            boolean fromUs = from.name().equals(account.handle());
            if (fromUs != (content instanceof Content.Sent || content instanceof Content.StateSync)) {
                // copies of sent texts and message states come only from our own devices, which send nothing else
                listener.problem("dropped a message from " + from.name() + " of a kind it may not send");
                return new Received(null, null, null, null, false, seen, Optional.empty());
            }
            if (content instanceof Content.Sent sent) {
                if (!Handles.normalize(sent.recipient()).equals(Optional.of(sent.recipient()))
                        || sent.recipient().equals(account.handle())) {
                    listener.problem("dropped a copy of a sent message with an impossible recipient");
                    return new Received(null, null, null, null, false, seen, Optional.empty());
                }
                return storeCopy(from, sent, relayTime);
            }
            if (content instanceof Content.Read read) {
                return markRead(read);
            }
            if (content instanceof Content.Delivered delivered) {
                return markDelivered(delivered);
            }
            Contact contact = store.contacts().add(from.name(), from.name(), clock.instant());
            if (!contact.profileKey().equals(Optional.of(content.profileKey()))) {
                contact = contact.withProfileKey(content.profileKey());
                store.contacts().update(contact);
            }
            if (content instanceof Content.Text text) {
                long conversation = store.conversations().open(from.name());
                Instant received = relayTime > 0 ? Instant.ofEpochMilli(relayTime) : clock.instant();
                MessageBody body = MessageBody.text(Direction.INCOMING, from.name(), from.deviceId(), text.sentAt(),
                        received, text.text()).withMessageId(text.messageId().bytes());
                OptionalLong id = store.messages().insert(new MessageDao.NewMessage(conversation,
                        MessageUids.incoming(from.name(), text.messageId()), MessageStatus.UNREAD, body));
                if (id.isEmpty()) {
                    return new Received(null, contact, text.messageId(), null, true, seen, text.treeHead());
                }
                return new Received(StoredMessage.intact(id.getAsLong(), conversation, MessageStatus.UNREAD, body),
                        contact, text.messageId(), null, false, seen, text.treeHead());
            }
            Content.Receipt receipt = (Content.Receipt) content;
            List<Long> delivered = new ArrayList<>();
            List<Content.Mark> toOurDevices = new ArrayList<>();
            for (Content.MessageId id : receipt.delivered()) {
                Content.Mark mark = new Content.Mark(from.name(), id);
                Optional<Long> marked = markDelivered(mark);
                if (marked.isPresent()) {
                    delivered.add(marked.get());
                    toOurDevices.add(mark);
                }
            }
            outgoing.queueDelivered(toOurDevices); // the receipt came here only: our other devices hear it from us
            return new Received(null, contact, receipt.messageId(), delivered, false, seen, receipt.treeHead());
        } catch (StoreException e) {
            throw new StoreFailure(e);
        }
    }
}
