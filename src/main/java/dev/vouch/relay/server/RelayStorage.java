package dev.vouch.relay.server;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything the relay keeps: accounts and their devices, public prekeys, and mailboxes of sealed
 * envelopes. Keys are stored as their wire encodings and verified before they get here; the
 * storage only keeps and hands out bytes. Each method is one transaction, so an implementation on
 * another database (PostgreSQL, several relays sharing it) only has to keep that promise.
 */
public interface RelayStorage extends AutoCloseable {

    /** What {@link #register} did. */
    enum Registration {
        /** A new account, or a new device of an existing account. */
        CREATED,
        /** The device id was removed from the account's signed device list: it is not registered again. */
        REMOVED,
        /** The same device (same account key, device id and device key) again: its access key was replaced. */
        UPDATED,
        /**
         * A device id of the account registered again with another device key (bound by the same
         * account key): its key, binding and access key were replaced and its prekeys, signed by
         * the old key, dropped.
         */
        REPLACED,
        /** The handle belongs to another account key, or the device id to another device key. */
        TAKEN
    }

    /** A device and what the relay knows about it. */
    record Device(DeviceAddress address, byte[] accountKey, byte[] deviceKey, byte[] accessKey) {
        public Device {
            accountKey = accountKey.clone();
            deviceKey = deviceKey.clone();
            accessKey = accessKey.clone();
        }

        @Override
        public byte[] accountKey() {
            return accountKey.clone();
        }

        @Override
        public byte[] deviceKey() {
            return deviceKey.clone();
        }

        @Override
        public byte[] accessKey() {
            return accessKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Device d && address.equals(d.address) && Arrays.equals(accountKey, d.accountKey)
                    && Arrays.equals(deviceKey, d.deviceKey) && Arrays.equals(accessKey, d.accessKey);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }

        @Override
        public String toString() {
            return "Device[" + address + "]";
        }
    }

    /** A prekey's id and its wire encoding. */
    record PreKey(int id, byte[] encoded) {
        public PreKey {
            encoded = encoded.clone();
        }

        @Override
        public byte[] encoded() {
            return encoded.clone();
        }
    }

    /**
     * One upload: one-time keys are added (an id already stored is replaced); the signed prekey and
     * the last-resort ML-KEM prekey, when present, replace the previous ones.
     */
    record PreKeyUpload(Optional<byte[]> signedPreKey, List<PreKey> oneTime, List<PreKey> kem,
                        Optional<byte[]> lastResortKem) {
        public PreKeyUpload {
            signedPreKey = signedPreKey.map(byte[]::clone);
            oneTime = List.copyOf(oneTime);
            kem = List.copyOf(kem);
            lastResortKem = lastResortKem.map(byte[]::clone);
        }
    }

    /** How many one-time X25519 and one-time ML-KEM prekeys a device has left. */
    record PreKeyCounts(int oneTime, int kem) {
    }

    /**
     * The keys claimed for one device by {@link #claimPreKeys}: the one-time keys are already
     * removed from storage. Either a pair of one-time keys, or (when either kind has run out) no
     * one-time X25519 key and the last-resort ML-KEM key.
     */
    record ClaimedDevice(int deviceId, byte[] deviceKey, byte[] deviceBinding, byte[] signedPreKey,
                         Optional<byte[]> oneTimePreKey, byte[] kemPreKey) {
    }

    /** An account's key and the claimed prekeys of each of its devices that has a complete set. */
    record ClaimedAccount(byte[] accountKey, List<ClaimedDevice> devices) {
    }

    /**
     * One device of an account as {@link #lookup} finds it: its identity key and the account key's
     * signature over its binding, as the device sent them at {@link #register}.
     */
    record BoundDevice(int deviceId, byte[] deviceKey, byte[] deviceBinding) {
    }

    /**
     * An account's key, its devices that have a stored binding, in device id order, and its newest
     * signed device list, when it has published one (docs/devices.md).
     */
    record AccountDevices(byte[] accountKey, List<BoundDevice> devices, Optional<byte[]> deviceList) {
        public AccountDevices {
            devices = List.copyOf(devices);
            deviceList = deviceList.map(byte[]::clone);
        }

        @Override
        public Optional<byte[]> deviceList() {
            return deviceList.map(byte[]::clone);
        }
    }

    /** What {@link #publishDeviceList} did. */
    enum ListUpdate {
        /** Stored as the account's newest list, and logged. */
        STORED,
        /** The account already has a list of this version or a higher one. */
        NOT_NEWER,
        /** A listed device is not registered with the listed key (or the account is gone). */
        UNKNOWN_DEVICE,
        /** The account's key is no longer the one that signed the list. */
        ACCOUNT_KEY_CHANGED
    }

    /** Mailbox limits per device. */
    record Quota(int maxEnvelopes, long maxBytes) {
        public static final Quota DEFAULT = new Quota(10_000, 256L * 1024 * 1024);
    }

    /** An envelope waiting in a mailbox; {@code seq} orders a mailbox. */
    record Envelope(long seq, String envelopeId, byte[] body, Instant received) {
    }

    /**
     * Registers a device, or repeats the registration of one (then its access key and binding are
     * replaced). A new account, a new device and a replaced device key each append the account's
     * entry to the {@link #log()} in the same transaction (docs/transparency.md, "What is logged");
     * an {@link Registration#UPDATED} registration appends nothing.
     *
     * @param deviceBinding the account key's signature over the device binding, already verified
     */
    Registration register(Device device, byte[] deviceBinding, Instant now) throws RelayStorageException;

    Optional<Device> device(DeviceAddress address) throws RelayStorageException;

    /**
     * Stores a signed device list, already decoded and verified under {@code accountKey}, as the
     * account's newest, and appends the account's entry to the {@link #log()} in the same
     * transaction: only when the account still has that key, the version is higher than the stored
     * one, and every listed device (id to device key encoding) is registered with that key. The
     * devices in {@code removed} (listed before, left out now) are removed in the same transaction:
     * their registration, prekeys and mailbox go, and {@link #removed} remembers them (from {@code now}).
     */
    ListUpdate publishDeviceList(String handle, byte[] accountKey, long version, java.util.Map<Integer, byte[]> listed,
                                 byte[] encoded, java.util.Set<Integer> removed, Instant now) throws RelayStorageException;

    /** The account's newest stored signed device list, as published (empty for an unknown handle or none yet). */
    Optional<byte[]> deviceList(String handle) throws RelayStorageException;

    /** Whether the device was removed from its account's list (it then neither authenticates nor registers again). */
    boolean removed(DeviceAddress device) throws RelayStorageException;

    /**
     * Stores an upload all or nothing.
     *
     * @throws QuotaExceededException when the device would hold more than {@code maxPerKind}
     *     one-time keys of one kind; nothing is stored then
     */
    PreKeyCounts storePreKeys(DeviceAddress device, PreKeyUpload upload, int maxPerKind)
            throws RelayStorageException, QuotaExceededException;

    PreKeyCounts preKeyCounts(DeviceAddress device) throws RelayStorageException;

    /**
     * The account's key and every device with a stored binding, without touching any prekey. Empty
     * when the handle is unknown.
     */
    Optional<AccountDevices> lookup(String handle) throws RelayStorageException;

    /**
     * Claims one one-time X25519 and one one-time ML-KEM prekey for every device of the account, in
     * one transaction, so that no key is ever handed out twice; a device short of either kind gets
     * neither and its last-resort ML-KEM key instead, and a device without one, or without a stored
     * binding, is left out (and spends nothing). Empty when the handle is unknown.
     */
    Optional<ClaimedAccount> claimPreKeys(String handle) throws RelayStorageException;

    /**
     * Durably stores an envelope in a device's mailbox: when this returns, it survives a crash.
     *
     * @throws QuotaExceededException when the mailbox would go over {@code quota}; nothing is stored then
     */
    void storeEnvelope(DeviceAddress device, String envelopeId, byte[] body, Instant received, Quota quota)
            throws RelayStorageException, QuotaExceededException;

    /** Up to {@code limit} envelopes of the device's mailbox with {@code seq > afterSeq}, oldest first. */
    List<Envelope> envelopes(DeviceAddress device, long afterSeq, int limit) throws RelayStorageException;

    /** Deletes one envelope of this device's mailbox; false when it has no such envelope. */
    boolean deleteEnvelope(DeviceAddress device, String envelopeId) throws RelayStorageException;

    /** Deletes every envelope received before {@code cutoff}; returns how many. */
    int deleteEnvelopesReceivedBefore(Instant cutoff) throws RelayStorageException;

    /** The key transparency log that {@link #register} appends to. */
    TransparencyLog log();

    @Override
    void close();
}
