package dev.vouch.relay.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.relay.api.Wire;
import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.BoundDevice;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.relay.server.TransparencyLog.Indexed;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.merkle.InclusionProof;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's side of key transparency on the wire (docs/transparency.md, "On the wire"): the keys
 * {@code lookup} and {@code fetchBundles} answer, each with the {@code log} object that proves the
 * handle's newest entry against a signed tree head, and the {@code logHead} and {@code logEntries}
 * answers.
 *
 * <p>Honest unless given a {@link Misbehavior} (at start, or later through {@link #misbehave}):
 * every place where a misbehaving relay departs from this (which log a device sees, which head
 * size, which proof, which keys) asks it, and the honest {@link Misbehavior#none} answers with what
 * it was given. Each answer reads the current misbehavior once, so a change never mixes two modes
 * in one answer.
 */
final class LogService {
    /** A {@code logEntries} answer stops before it grows past this (the frame limit is 2 MiB). */
    static final int MAX_ENTRIES_BYTES = 1024 * 1024;
    /** How often a lookup reads the keys again when they do not match the log entry read after them. */
    private static final int LOOKUP_ATTEMPTS = 3;

    /** Keys to answer with, and the {@code log} object proving the handle's entry, when it has one. */
    record Answer<T>(T keys, Optional<ObjectNode> log) {
    }

    /** {@code from} lies beyond the log: a bad frame. */
    static final class BeyondTheLogException extends Exception {
        BeyondTheLogException(long from, long size) {
            super("from " + from + " is beyond the log's " + size + " entries");
        }
    }

    private final RelayStorage storage;
    private final LogSigner signer;
    private final Clock clock;
    private volatile Misbehavior misbehavior;
    private final Map<TransparencyLog, TreeHeads> heads = new ConcurrentHashMap<>();

    LogService(RelayStorage storage, LogSigner signer, Clock clock, Misbehavior misbehavior) {
        this.storage = storage;
        this.signer = signer;
        this.clock = clock;
        this.misbehavior = misbehavior;
    }

    LogKey logKey() {
        return signer.logKey();
    }

    /**
     * Answers as {@code next} from now on (honest with {@link Misbehavior#none}); the heads signed
     * for an earlier misbehavior's own logs are dropped with it.
     */
    synchronized void misbehave(Misbehavior next) {
        misbehavior = next;
        heads.keySet().removeIf(log -> log != next.honest);
    }

    /** The honest log, from which a new misbehavior starts. */
    TransparencyLog honestLog() {
        return storage.log();
    }

    /** A device authenticated (or registered) on some connection. */
    void authenticated(DeviceAddress device) {
        misbehavior.authenticated(device);
    }

    /**
     * The account's key and bound devices with the proof of its newest entry; empty for an unknown
     * handle. The keys are read again (up to {@value #LOOKUP_ATTEMPTS} times in all) while they do
     * not match the entry read after them, so that a registration landing between the two reads
     * does not send a client a proof that seems to contradict the keys.
     */
    Optional<Answer<AccountDevices>> lookup(DeviceAddress asker, String handle) throws RelayStorageException {
        Optional<AccountDevices> stored = storage.lookup(handle);
        for (int attempt = 1; attempt < LOOKUP_ATTEMPTS && stored.isPresent() && !logged(handle, stored.get()); attempt++) {
            stored = storage.lookup(handle);
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Misbehavior current = misbehavior;
        AccountDevices served = current.lookup(asker, handle, stored.get());
        return Optional.of(new Answer<>(served, logObject(current, asker, handle)));
    }

    /** The account's claimed bundles (spending one-time prekeys) with the proof of its newest entry. */
    Optional<Answer<ClaimedAccount>> bundles(DeviceAddress asker, String handle) throws RelayStorageException {
        Optional<ClaimedAccount> claimed = storage.claimPreKeys(handle);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        Misbehavior current = misbehavior;
        ClaimedAccount served = current.bundles(asker, handle, claimed.get());
        return Optional.of(new Answer<>(served, logObject(current, asker, handle)));
    }

    /** Whether the handle's newest entry names exactly these keys. */
    private boolean logged(String handle, AccountDevices keys) throws RelayStorageException {
        TransparencyLog log = storage.log();
        Optional<Indexed> newest = log.newest(handle, log.size());
        if (newest.isEmpty()) {
            return false;
        }
        LogEntry entry = newest.get().entry();
        Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
        try {
            if (!entry.accountKey().equals(AccountIdentityKey.decode(keys.accountKey()))) {
                return false;
            }
            if (keys.deviceList().isPresent()) {
                return Arrays.equals(entry.deviceListHash(), DeviceListHash.ofSigned(keys.deviceList().get()));
            }
            for (BoundDevice d : keys.devices()) {
                devices.put(d.deviceId(), DeviceIdentityKey.decode(d.deviceKey()));
            }
        } catch (MalformedDataException e) {
            return false;
        }
        return Arrays.equals(entry.deviceListHash(), DeviceListHash.of(devices));
    }

    /** {@code {head, index, entry, proof}} for the handle's newest entry in the asker's view, if it has one. */
    private Optional<ObjectNode> logObject(Misbehavior misbehavior, DeviceAddress asker, String handle)
            throws RelayStorageException {
        TransparencyLog log = misbehavior.view(asker);
        SignedTreeHead newest = heads(log).newest();
        Optional<Indexed> found = log.newest(handle, newest.head().size());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Indexed entry = found.get();
        SignedTreeHead head = headFor(misbehavior, asker, log, newest, entry.index() + 1);
        ObjectNode node = object();
        node.put("head", head.serialize());
        node.put("index", entry.index());
        node.put("entry", entry.entry().serialize());
        node.put("proof", misbehavior.proof(log.inclusionProof(entry.index(), head.head().size())).serialize());
        return Optional.of(node);
    }

    /**
     * {@code {head, consistency}}: the newest head and, when {@code from} is neither 0 nor the
     * head's size, the proof that it extends the tree of {@code from} entries.
     */
    ObjectNode logHead(DeviceAddress asker, long from) throws RelayStorageException, BeyondTheLogException {
        Misbehavior misbehavior = this.misbehavior;
        TransparencyLog log = misbehavior.view(asker);
        SignedTreeHead newest = heads(log).newest();
        if (from > newest.head().size()) {
            throw new BeyondTheLogException(from, newest.head().size());
        }
        SignedTreeHead head = headFor(misbehavior, asker, log, newest, 0);
        long size = head.head().size();
        ObjectNode body = object();
        body.put("head", head.serialize());
        // A rolled-back head (misbehaving) may be smaller than from: no proof can exist then.
        if (from > 0 && from < size) {
            body.put("consistency", log.consistencyProof(from, size).serialize());
        }
        return body;
    }

    /**
     * {@code {head, entries: [{index, entry, proof}]}}: entries {@code from}, {@code from + 1}, ...,
     * at most {@code limit}, never past the head, and fewer when the answer would pass
     * {@link #MAX_ENTRIES_BYTES}; each proof is against {@code head}.
     */
    ObjectNode logEntries(DeviceAddress asker, long from, int limit) throws RelayStorageException,
            BeyondTheLogException {
        Misbehavior misbehavior = this.misbehavior;
        TransparencyLog log = misbehavior.view(asker);
        SignedTreeHead newest = heads(log).newest();
        if (from > newest.head().size()) {
            throw new BeyondTheLogException(from, newest.head().size());
        }
        SignedTreeHead head = headFor(misbehavior, asker, log, newest, from < newest.head().size() ? from + 1 : 0);
        long size = head.head().size();
        ObjectNode body = object();
        body.put("head", head.serialize());
        ArrayNode entries = body.putArray("entries");
        long to = from >= size ? from : Math.min(size, from + limit);
        List<Indexed> found = log.entries(Math.min(from, to), to);
        long bytes = 0;
        for (Indexed e : found) {
            byte[] entry = e.entry().serialize();
            InclusionProof proof = misbehavior.proof(log.inclusionProof(e.index(), size));
            bytes += 4 * (entry.length + proof.encodedLength()) / 3 + 64;
            if (bytes > MAX_ENTRIES_BYTES && !entries.isEmpty()) {
                break;
            }
            entries.addObject().put("index", e.index()).put("entry", entry).put("proof", proof.serialize());
        }
        return body;
    }

    /**
     * The head to answer with: the newest one, unless the misbehavior serves another size (at
     * least {@code needed}, the smallest size the answer's entries need, when it can).
     */
    private SignedTreeHead headFor(Misbehavior misbehavior, DeviceAddress asker, TransparencyLog log,
                                   SignedTreeHead newest, long needed) {
        long size = misbehavior.headSize(asker, newest.head().size(), needed);
        return size == newest.head().size() ? newest : heads(log).at(size);
    }

    private TreeHeads heads(TransparencyLog log) {
        return heads.computeIfAbsent(log, l -> new TreeHeads(l, signer, clock));
    }

    private static ObjectNode object() {
        return Wire.mapper().createObjectNode();
    }
}
