package dev.vouch.service;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.fingerprint.FingerprintException;
import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.protocol.fingerprint.SafetyNumberGenerator;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.qr.QrPayload;
import dev.vouch.relay.api.Handles;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.VerificationState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Contacts and the key-set change model (PRODUCT.md, "Key model"): every account key or device the
 * relay serves for a contact is compared with what we knew, every difference becomes an event in
 * the contact's key history, and a verified contact whose account key changes drops to
 * {@link VerificationState#CHANGED_AFTER_VERIFIED}, which holds outgoing messages until reviewed.
 */
public final class KeyDirectory {
    /** The scannable fingerprint format inside QR codes (docs/qr-payload.md). */
    public static final int SCANNABLE_VERSION = 2;

    private final ProfileStore store;
    private final ProtocolStateDao protocolState;
    private final Account account;
    private final Clock clock;
    private final DeviceLists deviceLists;

    KeyDirectory(ProfileStore store, ProtocolStateDao protocolState, Account account, Clock clock) {
        this.store = store;
        this.protocolState = protocolState;
        this.account = account;
        this.clock = clock;
        this.deviceLists = new DeviceLists(store, account, clock);
    }

    /** What a comparison with the served keys found. */
    public record Observation(Contact contact, List<KeyEvent> events) {
        public boolean accountKeyChanged() {
            return events.stream().anyMatch(e -> e.type() == KeyEvent.Type.ACCOUNT_KEY_CHANGED);
        }

        public boolean deviceAdded() {
            return events.stream().anyMatch(e -> e.type() == KeyEvent.Type.DEVICE_ADDED);
        }
    }

    /** The normalized handle, or a clear refusal. */
    public static String normalize(String handle) throws UnknownContactException {
        return Handles.normalize(handle).orElseThrow(() -> new UnknownContactException(
                "'" + handle + "' is not a valid handle: " + Handles.RULE));
    }

    public Optional<Contact> find(String handle) throws StoreException, UnknownContactException {
        return store.contacts().find(normalize(handle));
    }

    public Contact require(String handle) throws StoreException, UnknownContactException {
        String normalized = normalize(handle);
        return store.contacts().find(normalized).orElseThrow(() -> new UnknownContactException(
                normalized + " is not among your contacts; add them with: vouch contacts add " + normalized));
    }

    public List<Contact> list() throws StoreException {
        return store.contacts().list();
    }

    public List<KeyEvent> history(Contact contact) throws StoreException {
        return store.contacts().events(contact.id());
    }

    /** The devices we hold keys for, by device id. */
    public SortedMap<Integer, DeviceIdentityKey> devices(Contact contact) throws StateUnavailableException {
        return protocolState.devicesOf(contact.handle());
    }

    /**
     * Compares what the relay serves for {@code handle} with what we knew, records every
     * difference, and saves the served keys (creating the contact if needed) in one transaction.
     * {@code served} is a checked lookup ({@link LogAuditor#lookup}): its devices are exactly those
     * of the account's signed device list, which becomes the newest one known for the handle. A
     * new device of a verified contact is announced, and with the "hold new devices" setting also
     * holds messages for review, as an account key change does.
     */
    public Observation observe(String handle, RelayConnection.Lookup served) throws StoreException {
        Optional<SignedDeviceList> list;
        try {
            list = served.deviceList().isEmpty() ? Optional.empty()
                    : Optional.of(SignedDeviceList.decode(served.deviceList().get(), served.accountKey()));
        } catch (MalformedDataException | InvalidSignatureException e) {
            throw new IllegalArgumentException("observe takes checked keys only: " + e.getMessage(), e);
        }
        boolean hold = deviceLists.holdNewDevices();
        List<KeyEvent> events = new ArrayList<>();
        Contact updated = store.context().database().transaction(connection -> {
            Contact contact = store.contacts().add(handle, handle, clock.instant());
            AccountIdentityKey servedKey = served.accountKey();
            Optional<AccountIdentityKey> known = contact.accountKey();
            if (known.isEmpty()) {
                events.add(event(contact, KeyEvent.Type.FIRST_SEEN, "account key " + fingerprint(servedKey)));
                contact = contact.withAccountKey(servedKey);
            } else if (!known.get().equals(servedKey)) {
                events.add(event(contact, KeyEvent.Type.ACCOUNT_KEY_CHANGED, "account key changed from "
                        + fingerprint(known.get()) + " to " + fingerprint(servedKey)));
                contact = contact.withAccountKey(servedKey);
                if (contact.verification() == VerificationState.VERIFIED) {
                    contact = contact.withVerification(VerificationState.CHANGED_AFTER_VERIFIED);
                }
            }
            boolean added = observeDevices(contact, served, list, known.isEmpty(), events);
            if (added && hold && contact.verification() == VerificationState.VERIFIED) {
                contact = contact.withVerification(VerificationState.CHANGED_AFTER_VERIFIED);
            }
            if (list.isPresent()) {
                deviceLists.accepted(list.get(), servedKey);
            }
            store.contacts().update(contact);
            return contact;
        });
        return new Observation(updated, List.copyOf(events));
    }

    /** Records each device change; true when a device was added to a contact we knew before. */
    private boolean observeDevices(Contact contact, RelayConnection.Lookup served, Optional<SignedDeviceList> list,
                                   boolean firstSight, List<KeyEvent> events) throws StoreException {
        boolean added = false;
        try {
            SortedMap<Integer, DeviceIdentityKey> known = protocolState.devicesOf(contact.handle());
            for (RelayConnection.DeviceEntry device : served.devices()) {
                ProtocolAddress address = new ProtocolAddress(contact.handle(), device.deviceId());
                DeviceIdentityKey before = known.get(device.deviceId());
                if (before != null && before.equals(device.deviceKey())) {
                    continue;
                }
                if (before != null) {
                    events.add(event(contact, KeyEvent.Type.DEVICE_REMOVED, DeviceEventDetail.removed(device.deviceId(),
                            KeyFingerprint.of(before.serialize()), DeviceEventDetail.Removal.REPLACED).text()));
                    protocolState.deleteSession(address);
                }
                if (!firstSight || before != null) {
                    events.add(event(contact, KeyEvent.Type.DEVICE_ADDED, DeviceEventDetail.added(device.deviceId(), list,
                            KeyFingerprint.of(device.deviceKey().serialize())).text()));
                    added = true;
                }
                protocolState.saveIdentity(address, device.deviceKey());
            }
            for (Map.Entry<Integer, DeviceIdentityKey> gone : known.entrySet()) {
                if (served.devices().stream().noneMatch(d -> d.deviceId() == gone.getKey())) {
                    events.add(event(contact, KeyEvent.Type.DEVICE_REMOVED, DeviceEventDetail.removed(gone.getKey(),
                            KeyFingerprint.of(gone.getValue().serialize()), DeviceEventDetail.Removal.NO_LONGER_LISTED)
                            .text()));
                    protocolState.forgetDevice(new ProtocolAddress(contact.handle(), gone.getKey()));
                }
            }
        } catch (StateUnavailableException e) {
            throw new StoreException("could not update the keys of " + contact.handle() + ": " + e.getMessage());
        }
        return added;
    }

    /**
     * Whether a new device of a verified contact holds outgoing messages for review, as an account
     * key change does (default: no, the new device is only announced in the key history).
     */
    public boolean holdsNewDevices() throws StoreException {
        return deviceLists.holdNewDevices();
    }

    public void holdNewDevices(boolean hold) throws StoreException {
        deviceLists.holdNewDevices(hold);
    }

    /** The newest signed device list accepted for {@code contact}: its devices' names and dates. */
    public Optional<SignedDeviceList> deviceList(Contact contact) throws StoreException {
        return deviceLists.known(contact.handle()).map(DeviceLists.Known::list);
    }

    private KeyEvent event(Contact contact, KeyEvent.Type type, String detail) throws StoreException {
        return store.contacts().addEvent(contact.id(), clock.instant(), type, detail);
    }

    static String fingerprint(AccountIdentityKey key) {
        return KeyFingerprint.of(key.serialize());
    }

    /** Our safety number with {@code contact}; covers both account keys and both handles. */
    public SafetyNumber safetyNumber(Contact contact) throws UnknownContactException {
        AccountIdentityKey theirs = contact.accountKey().orElseThrow(() -> new UnknownContactException(
                "no account key is known for " + contact.handle() + " yet"));
        return new SafetyNumberGenerator().generate(account.accountIdentity().publicKey().serialize(), account.handle(),
                theirs.serialize(), contact.handle());
    }

    /** The QR payload a contact scans to verify us: our handle and our scannable fingerprint. */
    public QrPayload qrPayload(Contact contact) throws UnknownContactException {
        return new QrPayload(account.handle(), safetyNumber(contact).scannable(SCANNABLE_VERSION).toByteArray());
    }

    /** How a verification attempt ended. */
    public enum VerifyResult { MATCH, MISMATCH }

    /**
     * Compares the 60 digits read from the contact's screen (spaces ignored) with ours, in
     * constant time; a match marks the contact verified.
     */
    public VerifyResult verifyDigits(Contact contact, String digits) throws StoreException, UnknownContactException {
        String given = digits.replaceAll("\\s", "");
        if (!given.matches("\\d{" + SafetyNumber.DIGITS + "}")) {
            throw new IllegalArgumentException("a safety number is " + SafetyNumber.DIGITS + " digits (spaces allowed)");
        }
        boolean match = ConstantTime.equals(given.getBytes(StandardCharsets.US_ASCII),
                safetyNumber(contact).displayable().getBytes(StandardCharsets.US_ASCII));
        return settle(contact, match, "safety number digits compared");
    }

    /**
     * Checks a scanned QR payload: it must come from {@code contact} and carry the fingerprint of
     * our conversation with them; a match marks the contact verified.
     */
    public VerifyResult verifyScan(Contact contact, QrPayload scanned)
            throws StoreException, UnknownContactException, FingerprintException {
        if (!scanned.handle().equals(contact.handle())) {
            throw new IllegalArgumentException("the code is " + scanned.handle() + "'s, not " + contact.handle() + "'s");
        }
        boolean match = safetyNumber(contact).matches(scanned.fingerprint(), SCANNABLE_VERSION);
        return settle(contact, match, "QR code scanned");
    }

    private VerifyResult settle(Contact contact, boolean match, String how) throws StoreException {
        if (!match) {
            return VerifyResult.MISMATCH;
        }
        store.context().database().transaction(connection -> {
            Contact current = store.contacts().find(contact.handle()).orElse(contact);
            if (current.verification() != VerificationState.VERIFIED) {
                store.contacts().update(current.withVerification(VerificationState.VERIFIED));
                event(current, KeyEvent.Type.VERIFIED, how + "; account key "
                        + current.accountKey().map(KeyDirectory::fingerprint).orElse("?"));
            }
            return null;
        });
        return VerifyResult.MATCH;
    }

    /** Accepts a reviewed key change: the contact becomes unverified (trust on first use of the new key). */
    Contact acceptChange(Contact contact) throws StoreException {
        return store.context().database().transaction(connection -> {
            Contact current = store.contacts().find(contact.handle()).orElse(contact);
            if (!accountKeyChangedSinceVerified(current)) {
                // Only devices changed (held by the "hold new devices" setting): the account key, and
                // so the safety number the user compared, is the same, and stays verified.
                Contact accepted = current.withVerification(VerificationState.VERIFIED);
                store.contacts().update(accepted);
                event(current, KeyEvent.Type.VERIFIED, "device change reviewed and accepted; account key "
                        + current.accountKey().map(KeyDirectory::fingerprint).orElse("?") + " is still the verified one");
                return accepted;
            }
            Contact accepted = current.withVerification(VerificationState.UNVERIFIED);
            store.contacts().update(accepted);
            event(current, KeyEvent.Type.VERIFICATION_REMOVED, "key change reviewed and accepted; account key "
                    + current.accountKey().map(KeyDirectory::fingerprint).orElse("?") + " is now unverified");
            return accepted;
        });
    }

    /** Whether the contact's history holds an account key change after its last verification. */
    private boolean accountKeyChangedSinceVerified(Contact contact) throws StoreException {
        boolean changed = true; // never verified: nothing to keep
        for (KeyEvent e : store.contacts().events(contact.id())) {
            if (e.type() == KeyEvent.Type.VERIFIED) {
                changed = false;
            } else if (e.type() == KeyEvent.Type.ACCOUNT_KEY_CHANGED || e.type() == KeyEvent.Type.FIRST_SEEN) {
                changed = true;
            }
        }
        return changed;
    }
}
