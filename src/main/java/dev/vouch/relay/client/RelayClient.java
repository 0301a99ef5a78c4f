package dev.vouch.relay.client;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKeyPublic;
import dev.vouch.protocol.keys.OneTimePreKeyPublic;
import dev.vouch.protocol.keys.SignedPreKeyPublic;
import dev.vouch.relay.api.Invite;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A device's two connections to its relay, as the service layer uses them: the mailbox connection
 * authenticates as this device (prekeys, bundles, deliveries, acknowledgements), and a second one
 * that never authenticates carries every sealed {@link #send}, so the relay cannot tie an envelope
 * to the connection of the device that sent it (docs/relay-protocol.md, "Mailboxes and sealed sender").
 * The one exception is {@link #sendIdentified}, for a first contact, which names the sender by design.
 */
public final class RelayClient implements AutoCloseable {
    private final RelayConnection mailbox;
    private final RelayConnection sender;

    public RelayClient(Invite invite, RelayConnection.Options options, RelayConnection.Listener listener) {
        this.mailbox = new RelayConnection(invite, options, listener);
        this.sender = new RelayConnection(invite, options, deliver -> {
            // never authenticated, so the relay delivers nothing here
        });
    }

    /** Connects the mailbox connection, then the sending one; fails as {@link RelayConnection#connect()} does. */
    public CompletableFuture<Void> connect() {
        return mailbox.connect().thenCompose(v -> sender.connect());
    }

    public RelayConnection mailbox() {
        return mailbox;
    }

    public CompletableFuture<Void> register(String handle, AccountIdentity account, int deviceId, DeviceIdentity device,
                                            byte[] accessKey) {
        return mailbox.register(handle, account, deviceId, device, accessKey);
    }

    public CompletableFuture<Void> authenticate(String handle, int deviceId, DeviceIdentity device) {
        return mailbox.authenticate(handle, deviceId, device);
    }

    public CompletableFuture<RelayConnection.PreKeyCounts> uploadPreKeys(SignedPreKeyPublic signedPreKey,
                                                                         List<OneTimePreKeyPublic> oneTimePreKeys,
                                                                         List<KemPreKeyPublic> kemPreKeys,
                                                                         Optional<KemPreKeyPublic> lastResort) {
        return mailbox.uploadPreKeys(signedPreKey, oneTimePreKeys, kemPreKeys, lastResort);
    }

    public CompletableFuture<RelayConnection.PreKeyCounts> preKeyCounts() {
        return mailbox.preKeyCounts();
    }

    /**
     * Note what this tells the relay: fetching needs an authenticated connection, so the relay
     * learns which account starts a session with which.
     */
    public CompletableFuture<RelayConnection.Bundles> fetchBundles(String handle) {
        return mailbox.fetchBundles(handle);
    }

    /**
     * An account's key and its devices, verified bound to it, without spending prekeys. Like
     * {@link #fetchBundles} it goes over the mailbox connection, so the relay learns who looked up whom.
     */
    public CompletableFuture<RelayConnection.Lookup> lookup(String handle) {
        return mailbox.lookup(handle);
    }

    /** Publishes this account's new signed device list over the mailbox connection; answers the stored version. */
    public CompletableFuture<Long> publishDeviceList(dev.vouch.protocol.keys.SignedDeviceList list) {
        return mailbox.publishDeviceList(list);
    }

    /**
     * The transparency log's newest signed tree head, with a consistency proof from {@code from}
     * (a size verified earlier, 0 for none), over the mailbox connection; decoded, not verified.
     */
    public CompletableFuture<RelayConnection.LogHeadAnswer> logHead(long from) {
        return mailbox.logHead(from);
    }

    /** Up to {@code limit} log entries from index {@code from} on, with inclusion proofs, over the mailbox connection. */
    public CompletableFuture<RelayConnection.LogEntries> logEntries(long from, int limit) {
        return mailbox.logEntries(from, limit);
    }

    /** A sealed envelope ({@code protocol.sealed.SealedSender}) over the unauthenticated connection. */
    public CompletableFuture<Long> send(String handle, int deviceId, byte[] envelope, byte[] accessKey) {
        return sender.send(handle, deviceId, envelope, accessKey);
    }

    /** A sealed send naming the device key it was encrypted to (refused as {@code stale-device} if that changed). */
    public CompletableFuture<Long> send(String handle, int deviceId, byte[] envelope, byte[] accessKey,
                                        DeviceIdentityKey recipientKey) {
        return sender.send(handle, deviceId, envelope, accessKey, recipientKey);
    }

    /**
     * An envelope for a first contact whose access key this device does not know yet, over the
     * authenticated mailbox connection: the relay learns that this device sent it, and allows a
     * device only so many per minute. Once the recipient's profile key has arrived in one of its
     * messages, use {@link #send}.
     */
    public CompletableFuture<Long> sendIdentified(String handle, int deviceId, byte[] envelope) {
        return mailbox.sendIdentified(handle, deviceId, envelope);
    }

    /** An identified send naming the device key it was encrypted to. */
    public CompletableFuture<Long> sendIdentified(String handle, int deviceId, byte[] envelope,
                                                  DeviceIdentityKey recipientKey) {
        return mailbox.sendIdentified(handle, deviceId, envelope, recipientKey);
    }

    /** A sealed provisioning message (a device link) over the unauthenticated connection. */
    public CompletableFuture<Void> provision(String mailbox, byte[] body) {
        return sender.provision(mailbox, body);
    }

    /** Takes a provisioning mailbox's message over the unauthenticated connection. */
    public CompletableFuture<Optional<byte[]>> fetchProvision(String mailbox) {
        return sender.fetchProvision(mailbox);
    }

    public CompletableFuture<Void> ack(String envelopeId) {
        return mailbox.ack(envelopeId);
    }

    @Override
    public void close() {
        sender.close();
        mailbox.close();
    }
}
