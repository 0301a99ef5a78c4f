package dev.vouch.protocol.state;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ProtocolStore} in memory, for tests and benchmarks. It keeps records serialized, as a
 * database would, so every load is an independent copy; transactions hold one lock and undo
 * their writes when the work throws. Identity policy: trust on first use.
 */
public final class InMemoryProtocolStore implements ProtocolStore {
    private final DeviceIdentity localIdentity;
    private final Map<ProtocolAddress, byte[]> sessions = new HashMap<>();
    private final Map<Integer, byte[]> signedPreKeys = new HashMap<>();
    private final Map<Integer, byte[]> oneTimePreKeys = new HashMap<>();
    private final Map<Integer, byte[]> kemPreKeys = new HashMap<>();
    /** Base keys each last-resort ML-KEM prekey set up sessions with, hex-encoded. */
    private final Map<Integer, Set<String>> lastResortUses = new HashMap<>();
    private final Map<ProtocolAddress, DeviceIdentityKey> identities = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether a transaction is open (on the thread holding {@link #lock}). */
    private boolean inTransaction;
    /** Undo actions of the open transaction, newest first; null until it writes something. */
    private Deque<Runnable> undo;

    public InMemoryProtocolStore(DeviceIdentity localIdentity) {
        this.localIdentity = localIdentity;
    }

    @Override
    public <T> T transaction(Work<T> work) throws ProtocolException {
        lock.lock();
        try {
            if (inTransaction) {
                return work.run(); // nested: part of the outer transaction
            }
            inTransaction = true;
            try {
                return work.run();
            } catch (ProtocolException | RuntimeException | Error e) {
                if (undo != null) {
                    undo.forEach(Runnable::run);
                }
                throw e;
            } finally {
                inTransaction = false;
                undo = null;
            }
        } finally {
            lock.unlock();
        }
    }

    // Inside a transaction the thread already holds the lock: the accessors below then skip
    // taking it again (a reentrant lock() still costs an atomic compare-and-set, unlock() a
    // volatile write). Only the holder can see itself as the owner, so the check is safe.

    private <K, V> void put(Map<K, V> map, K key, V value) {
        if (lock.isHeldByCurrentThread()) {
            putLocked(map, key, value);
            return;
        }
        lock.lock();
        try {
            putLocked(map, key, value);
        } finally {
            lock.unlock();
        }
    }

    private <K, V> void putLocked(Map<K, V> map, K key, V value) {
        V old = value == null ? map.remove(key) : map.put(key, value);
        if (inTransaction) {
            if (undo == null) {
                undo = new ArrayDeque<>(4);
            }
            undo.addFirst(() -> {
                if (old == null) {
                    map.remove(key);
                } else {
                    map.put(key, old);
                }
            });
        }
    }

    private <K> byte[] get(Map<K, byte[]> map, K key) {
        if (lock.isHeldByCurrentThread()) {
            return map.get(key);
        }
        lock.lock();
        try {
            return map.get(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<SessionRecord> loadSession(ProtocolAddress address) {
        byte[] bytes = get(sessions, address);
        return bytes == null ? Optional.empty() : Optional.of(decode(() -> SessionRecord.decode(bytes)));
    }

    @Override
    public void storeSession(ProtocolAddress address, SessionRecord record) {
        put(sessions, address, record.serialize());
    }

    @Override
    public void deleteSession(ProtocolAddress address) {
        put(sessions, address, null);
    }

    /** The stored bytes of a session, for tests that check a refused message changed nothing. */
    public Optional<byte[]> rawSession(ProtocolAddress address) {
        return Optional.ofNullable(get(sessions, address)).map(byte[]::clone);
    }

    @Override
    public Optional<SignedPreKey> loadSignedPreKey(int id) {
        byte[] bytes = get(signedPreKeys, id);
        return bytes == null ? Optional.empty() : Optional.of(decode(() -> SignedPreKey.decodePrivate(bytes)));
    }

    @Override
    public void storeSignedPreKey(SignedPreKey key) {
        put(signedPreKeys, key.id(), key.serializePrivate());
    }

    @Override
    public Optional<OneTimePreKey> loadOneTimePreKey(int id) {
        byte[] bytes = get(oneTimePreKeys, id);
        return bytes == null ? Optional.empty() : Optional.of(decode(() -> OneTimePreKey.decodePrivate(bytes)));
    }

    @Override
    public void storeOneTimePreKey(OneTimePreKey key) {
        put(oneTimePreKeys, key.id(), key.serializePrivate());
    }

    @Override
    public void removeOneTimePreKey(int id) {
        put(oneTimePreKeys, id, null);
    }

    @Override
    public Optional<KemPreKey> loadKemPreKey(int id) {
        byte[] bytes = get(kemPreKeys, id);
        return bytes == null ? Optional.empty() : Optional.of(decode(() -> KemPreKey.decodePrivate(bytes)));
    }

    @Override
    public void storeKemPreKey(KemPreKey key) {
        put(kemPreKeys, key.id(), key.serializePrivate());
        put(lastResortUses, key.id(), null); // a new key under this id has set up nothing yet
    }

    @Override
    public void markKemPreKeyUsed(int id, byte[] baseKey) {
        Optional<KemPreKey> key = loadKemPreKey(id);
        if (key.isEmpty()) {
            return;
        }
        if (key.get().lastResort()) {
            lock.lock();
            try {
                Set<String> uses = new HashSet<>(lastResortUses.getOrDefault(id, Set.of()));
                uses.add(HexFormat.of().formatHex(baseKey));
                put(lastResortUses, id, uses);
            } finally {
                lock.unlock();
            }
        } else {
            put(kemPreKeys, id, null);
        }
    }

    @Override
    public boolean kemPreKeyUsedWith(int id, byte[] baseKey) {
        lock.lock();
        try {
            return lastResortUses.getOrDefault(id, Set.of()).contains(HexFormat.of().formatHex(baseKey));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeviceIdentity localIdentity() {
        return localIdentity;
    }

    @Override
    public boolean isTrusted(ProtocolAddress address, DeviceIdentityKey key) {
        if (lock.isHeldByCurrentThread()) {
            return isTrustedLocked(address, key);
        }
        lock.lock();
        try {
            return isTrustedLocked(address, key);
        } finally {
            lock.unlock();
        }
    }

    private boolean isTrustedLocked(ProtocolAddress address, DeviceIdentityKey key) {
        DeviceIdentityKey known = identities.get(address);
        return known == null || known.equals(key);
    }

    @Override
    public boolean saveIdentity(ProtocolAddress address, DeviceIdentityKey key) {
        lock.lock();
        try {
            DeviceIdentityKey old = identities.get(address);
            put(identities, address, key);
            return old != null && !old.equals(key);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DeviceIdentityKey> identity(ProtocolAddress address) {
        lock.lock();
        try {
            return Optional.ofNullable(identities.get(address));
        } finally {
            lock.unlock();
        }
    }

    private interface Decoder<T> {
        T decode() throws MalformedDataException;
    }

    private static <T> T decode(Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (MalformedDataException e) {
            // Only this class wrote these bytes; failing to read them back is a bug, not bad input.
            throw new IllegalStateException("in-memory store holds an undecodable record", e);
        }
    }
}
