package dev.vouch.service;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.SettingsDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.transparency.log.DeviceListHash;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Signed device lists on the client (docs/devices.md): this account's own list, signed and
 * published, and every contact's list, accepted only when its account key signed it for that
 * handle and its version is not below the highest one seen for that account key. A refused list
 * is recorded as a {@link KeyEvent.Type#DEVICE_LIST_REFUSED} event and changes nothing else.
 */
final class DeviceLists {
    /** This account's newest list that the relay holds. */
    private static final String OWN = "devices.own";
    /** The version of our own list the relay last confirmed holding. */
    private static final String OWN_CONFIRMED = "devices.own-confirmed";
    /** Hashes of every list this account published, so self-monitoring knows its own entries. */
    private static final String OWN_HASHES = "devices.own-hashes";
    /** Per contact: {@code version:hash:account key} of the newest list accepted. */
    private static final String KNOWN_PREFIX = "devices.known.";
    /** "1" when a new device of a verified contact holds messages for review, as an account key change does. */
    static final String HOLD_NEW_DEVICES = "devices.hold-new-devices";
    /** The name this device gives itself in its first list. */
    static final String DEFAULT_NAME = "Desktop";

    private final ProfileStore store;
    private final SettingsDao settings;
    private final Account account;
    private final Clock clock;

    DeviceLists(ProfileStore store, Account account, Clock clock) {
        this.store = store;
        this.settings = store.settings();
        this.account = account;
        this.clock = clock;
    }

    // ----- our own list

    /** The newest list this account signed, if any. */
    Optional<SignedDeviceList> own() throws StoreException {
        Optional<String> stored = settings.get(OWN);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SignedDeviceList.decode(Base64.getDecoder().decode(stored.get()),
                    account.accountIdentity().publicKey()));
        } catch (MalformedDataException | InvalidSignatureException | IllegalArgumentException e) {
            throw new StoreException("this account's stored device list does not verify: " + e.getMessage());
        }
    }

    /**
     * Makes sure the relay holds this account's list: the one it confirmed before (nothing to
     * send), else the stored one, else a first one: the relay's newest list for this handle when
     * this account key signed it and it lists this device (an earlier run published it and was
     * interrupted before it stored it), or, when the account has none, a new list of this device
     * alone. A list of the account's that does not hold this device is never replaced from here.
     */
    SignedDeviceList ensurePublished(RelayClient relay, String deviceName) throws ServiceException, StoreException {
        Optional<SignedDeviceList> existing = own();
        if (existing.isPresent()) {
            if (settings.get(OWN_CONFIRMED).map(Long::parseLong).orElse(0L) >= existing.get().version()) {
                return existing.get();
            }
            return publish(relay, existing.get());
        }
        RelayConnection.Lookup mine = RelayCalls.await(relay.lookup(account.handle()));
        if (mine.deviceList().isPresent() && mine.accountKey().equals(account.accountIdentity().publicKey())) {
            SignedDeviceList served;
            try {
                served = SignedDeviceList.decode(mine.deviceList().get(), account.accountIdentity().publicKey());
            } catch (MalformedDataException | InvalidSignatureException e) {
                throw new ServiceException("the relay serves a device list for this account that its key did not"
                        + " sign: " + e.getMessage());
            }
            if (served.lists(account.deviceId(), account.deviceIdentity().publicKey())) {
                remember(served, true);
                return served;
            }
            // Signing a list of this device alone would drop the account's other devices.
            throw new ServiceException("this device is not in the account's signed device list (version "
                    + served.version() + "); add it from a device that is");
        }
        try {
            return publish(relay, SignedDeviceList.sign(account.accountIdentity(), account.handle(), 1, List.of(
                    new SignedDeviceList.Device(account.deviceId(), account.deviceIdentity().publicKey(), deviceName,
                            clock.instant()))));
        } catch (MalformedDataException e) {
            throw new ServiceException("cannot sign this device's list: " + e.getMessage(), e);
        }
    }

    /**
     * Publishes {@code list} as ours. Its hash is kept first (self-monitoring must know it as ours
     * once the relay logs it); the list becomes this account's own only once the relay holds it.
     */
    SignedDeviceList publish(RelayClient relay, SignedDeviceList list) throws ServiceException, StoreException {
        remember(list, false);
        try {
            RelayCalls.await(relay.publishDeviceList(list));
        } catch (RelayFailureException e) {
            if (RelayCalls.code(e).orElse(null) != ErrorCode.VERSION_NOT_NEWER) {
                throw e;
            }
            RelayConnection.Lookup mine = RelayCalls.await(relay.lookup(account.handle()));
            if (mine.deviceList().isEmpty() || !ConstantTime.equals(mine.deviceList().get(), list.serialize())) {
                throw new ServiceException("the relay holds another device list of version " + list.version()
                        + " or higher for this account; check `vouch log status`");
            }
        }
        remember(list, true);
        return list;
    }

    /**
     * Takes a newer list of this account that another of its devices published (proven in the log by
     * the caller): signed by this account key, for this handle, listing this device. Returns the
     * newest list this device now holds.
     */
    SignedDeviceList adoptNewer(RelayConnection.Lookup proven) throws ServiceException, StoreException {
        Optional<SignedDeviceList> existing = own();
        if (proven.deviceList().isEmpty() || !proven.accountKey().equals(account.accountIdentity().publicKey())) {
            return existing.orElseThrow(() -> new ServiceException("the relay holds no device list of this account"));
        }
        SignedDeviceList served;
        try {
            served = SignedDeviceList.decode(proven.deviceList().get(), account.accountIdentity().publicKey());
        } catch (MalformedDataException | InvalidSignatureException e) {
            throw new ServiceException("the relay serves a device list for this account that its key did not sign: "
                    + e.getMessage());
        }
        if (!served.handle().equals(account.handle())) {
            throw new ServiceException("the relay serves " + served.handle() + "'s list for this account");
        }
        if (existing.isPresent() && served.version() <= existing.get().version()) {
            return existing.get();
        }
        if (!served.lists(account.deviceId(), account.deviceIdentity().publicKey())) {
            throw new DeviceRemovedException(account.handle(), account.deviceId());
        }
        remember(served, true);
        return served;
    }

    /** Keeps the list's hash as one of ours and, once the relay holds it, the list itself. */
    private void remember(SignedDeviceList list, boolean confirmed) throws StoreException {
        String hash = Base64.getEncoder().encodeToString(DeviceListHash.ofSigned(list.serialize()));
        store.context().database().transaction(connection -> {
            List<String> hashes = new ArrayList<>(List.of(settings.get(OWN_HASHES).orElse("").split(",")));
            hashes.removeIf(String::isEmpty);
            if (!hashes.contains(hash)) {
                hashes.add(hash);
                settings.put(OWN_HASHES, String.join(",", hashes));
            }
            if (confirmed) {
                settings.put(OWN, Base64.getEncoder().encodeToString(list.serialize()));
                settings.put(OWN_CONFIRMED, Long.toString(list.version()));
            }
            return null;
        });
    }

    /** Whether {@code hash} is the log hash of a list this account published. */
    boolean isOwn(byte[] hash) throws StoreException {
        String encoded = Base64.getEncoder().encodeToString(hash);
        for (String h : settings.get(OWN_HASHES).orElse("").split(",")) {
            if (!h.isEmpty() && ConstantTime.equals(h.getBytes(), encoded.getBytes())) {
                return true;
            }
        }
        return false;
    }

    // ----- contacts' lists

    /**
     * Checks the list a {@code lookup} of {@code handle} served: present, well formed, signed by
     * the served account key for this handle, and, under the same account key, not older than the
     * newest list accepted before (one of the same version must be the same list). Refusals are
     * recorded for a known contact and thrown; nothing else changes.
     */
    SignedDeviceList check(String handle, RelayConnection.Lookup served) throws DeviceListRefusedException,
            StoreException {
        if (served.deviceList().isEmpty()) {
            throw refuse(handle, "the relay served no signed device list for " + handle);
        }
        SignedDeviceList list;
        try {
            list = SignedDeviceList.decode(served.deviceList().get(), served.accountKey());
        } catch (InvalidSignatureException e) {
            throw refuse(handle, "bad signature: " + e.getMessage());
        } catch (MalformedDataException e) {
            throw refuse(handle, "malformed: " + e.getMessage());
        }
        if (!list.handle().equals(handle)) {
            throw refuse(handle, "the list is " + list.handle() + "'s, not " + handle + "'s");
        }
        Optional<Known> known = known(handle);
        if (known.isPresent() && known.get().accountKey().equals(served.accountKey())) {
            if (list.version() < known.get().version()) {
                throw refuse(handle, "version " + list.version() + " is older than version " + known.get().version()
                        + " seen before: a rollback");
            }
            if (list.version() == known.get().version() && !ConstantTime.equals(known.get().hash(),
                    DeviceListHash.ofSigned(list.serialize()))) {
                throw refuse(handle, "a second, different list of version " + list.version());
            }
        }
        return list;
    }

    /** The newest list accepted for a handle, with the account key that signed it. */
    record Known(SignedDeviceList list, AccountIdentityKey accountKey) {
        long version() {
            return list.version();
        }

        byte[] hash() {
            return DeviceListHash.ofSigned(list.serialize());
        }
    }

    Optional<Known> known(String handle) throws StoreException {
        Optional<String> stored = settings.get(KNOWN_PREFIX + handle);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        String[] f = stored.get().split(":");
        try {
            AccountIdentityKey key = AccountIdentityKey.decode(Base64.getDecoder().decode(f[0]));
            return Optional.of(new Known(SignedDeviceList.decode(Base64.getDecoder().decode(f[1]), key), key));
        } catch (MalformedDataException | InvalidSignatureException | RuntimeException e) {
            throw new StoreException("the stored device list of " + handle + " does not verify");
        }
    }

    /** Remembers {@code list} as the newest accepted for its handle; inside the caller's transaction. */
    void accepted(SignedDeviceList list, AccountIdentityKey accountKey) throws StoreException {
        settings.put(KNOWN_PREFIX + list.handle(), Base64.getEncoder().encodeToString(accountKey.serialize()) + ":"
                + Base64.getEncoder().encodeToString(list.serialize()));
    }

    /** Whether a new device of a verified contact holds messages for review (off: it is only announced). */
    boolean holdNewDevices() throws StoreException {
        return settings.get(HOLD_NEW_DEVICES).map("1"::equals).orElse(false);
    }

    void holdNewDevices(boolean hold) throws StoreException {
        settings.put(HOLD_NEW_DEVICES, hold ? "1" : "0");
    }

    private DeviceListRefusedException refuse(String handle, String detail) throws StoreException {
        Optional<Contact> contact = store.contacts().find(handle);
        if (contact.isPresent()) {
            // Once per refusal, not once per retry: the same list refused again adds nothing.
            List<KeyEvent> history = store.contacts().events(contact.get().id());
            KeyEvent last = history.isEmpty() ? null : history.get(history.size() - 1);
            if (last == null || last.type() != KeyEvent.Type.DEVICE_LIST_REFUSED || !last.detail().equals(detail)) {
                store.contacts().addEvent(contact.get().id(), clock.instant(), KeyEvent.Type.DEVICE_LIST_REFUSED,
                        detail);
            }
        }
        return new DeviceListRefusedException("refused the device list of " + handle + " (" + detail
                + "); none of its keys is used");
    }
}
