package dev.vouch.service;

import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.sealed.AccessKey;
import dev.vouch.qr.LinkCode;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Handles;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.model.Account;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A new device waiting to be linked (docs/devices.md, "Linking"), made by
 * {@link Messenger#requestLink}: shows {@link #code()}, then {@link #await} finishes the setup.
 */
public final class PendingLink {
    private final ProfileStore store;
    private final Invite invite;
    private final Messenger.Options options;
    private final DeviceIdentity device;
    private final byte[] ephemeralPrivate;
    private final LinkCode code;

    PendingLink(ProfileStore store, Invite invite, Messenger.Options options, DeviceIdentity device,
                        byte[] ephemeralPrivate, LinkCode code) {
        this.store = store;
        this.invite = invite;
        this.options = options;
        this.device = device;
        this.ephemeralPrivate = ephemeralPrivate;
        this.code = code;
    }

    public LinkCode code() {
        return code;
    }

    /**
     * Waits until an existing device accepts the code (or it expires), then sets this profile up
     * as the account's new device: keeps the account key it received and its own device key,
     * takes over the contacts, key history and recent messages, registers with the relay under
     * the account's binding, uploads prekeys, answers the existing device, and waits for the
     * list that holds it. {@code expectedHandle}, when given, refuses an offer for another account.
     */
    public Account await(Optional<String> expectedHandle, Duration wait) throws ServiceException, StoreException {
        try (RelayClient client = new RelayClient(invite, options.relay(), deliver -> { })) {
            RelayCalls.await(client.connect());
            long started = System.nanoTime();
            byte[] sealed = DeviceLinks.poll(client, DeviceLinks.offerMailbox(code), wait, code.expiresAt(),
                    options.clock()).orElseThrow(() -> new LinkRefusedException(LinkRefusedException.Reason.TIMED_OUT,
                    "no device accepted the link code in time (it expires at " + code.expiresAt() + ")"));
            DeviceLinks.Opened opened = DeviceLinks.openOffer(code, ephemeralPrivate, sealed);
            DeviceLinks.Offer offer = opened.offer();
            Optional<String> expected = expectedHandle.map(h -> Handles.normalize(h).orElse(h));
            if (expected.isPresent() && !expected.get().equals(offer.handle())) {
                throw new LinkRefusedException(LinkRefusedException.Reason.OTHER_ACCOUNT, "the device that accepted"
                        + " the code belongs to " + offer.handle() + ", not to " + expected.get() + "; nothing was set up");
            }
            if (!offer.deviceKey().equals(device.publicKey()) || !offer.currentList().handle().equals(offer.handle())) {
                throw new LinkRefusedException(LinkRefusedException.Reason.TAMPERED,
                        "the provisioning message is for another device or names two accounts; nothing was set up");
            }
            // The contents first: a transfer that does not read stops the link before the relay hears of it.
            keep(offer, offer.deviceId());
            DeviceLinks.importContents(store, offer.contents());
            Account account = register(client, offer);
            RelayCalls.await(client.provision(DeviceLinks.replyMailbox(code), DeviceLinks.sealReply(opened, code,
                    new DeviceLinks.Reply(account.deviceId(), device.publicKey()), options.random())));
            awaitListed(client, account, wait.minusNanos(System.nanoTime() - started));
            store.settings().put(Messenger.REGISTERED, Long.toString(options.clock().millis()));
            new PreKeyStock(store, store.protocolState(), account, options.clock(), options.random()).maintain(client);
            return account;
        }
    }

    /**
     * Keeps the account and registers this device under the first id from the offered one the
     * relay accepts (an id removed from the list earlier is never given out again).
     */
    private Account register(RelayClient client, DeviceLinks.Offer offer) throws ServiceException, StoreException {
        for (int id = offer.deviceId(); id < offer.deviceId() + SignedDeviceList.MAX_DEVICES; id++) {
            if (offer.currentList().device(id).isPresent()) {
                continue;
            }
            Account account = keep(offer, id);
            try {
                RelayCalls.await(client.register(offer.handle(), offer.accountIdentity(), id, device,
                        AccessKey.derive(offer.profileKey())));
                return account;
            } catch (RelayFailureException e) {
                if (RelayCalls.code(e).filter(c -> c == ErrorCode.DEVICE_REMOVED).isEmpty()) {
                    throw e;
                }
            }
        }
        throw new LinkRefusedException(LinkRefusedException.Reason.BAD_DEVICE_LIST,
                "the relay refused every device id offered; nothing was added");
    }

    /** Stores the account as this device's, under {@code deviceId}, with the account's profile key and relay. */
    private Account keep(DeviceLinks.Offer offer, int deviceId) throws StoreException {
        Account account = new Account(offer.handle(), deviceId, offer.accountIdentity(), device);
        Invite kept = new Invite(invite.host(), invite.port(), invite.spkiPin(), invite.logKey(), Optional.empty());
        store.context().database().transaction(connection -> {
            store.accounts().save(account);
            store.settings().put(Messenger.PROFILE_KEY, Base64.getEncoder().encodeToString(offer.profileKey()));
            store.settings().put(Messenger.INVITE, kept.link());
            return null;
        });
        return account;
    }

    /** Waits until the account's list holds this device, as the existing device publishes it. */
    private void awaitListed(RelayClient client, Account account, Duration wait)
            throws ServiceException, StoreException {
        DeviceLists lists = new DeviceLists(store, account, options.clock());
        long deadline = System.nanoTime() + Math.max(wait.toNanos(), DeviceLinks.POLL.toNanos() * 40);
        while (true) {
            try {
                lists.ensurePublished(client, DeviceLists.DEFAULT_NAME);
                return;
            } catch (RelayFailureException e) {
                throw e;
            } catch (ServiceException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new LinkRefusedException(LinkRefusedException.Reason.TIMED_OUT,
                            "the existing device did not publish the list with this device in time: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(DeviceLinks.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayFailureException("interrupted while waiting for the device list");
            }
        }
    }
}
