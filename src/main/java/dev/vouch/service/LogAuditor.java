package dev.vouch.service;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.SettingsDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.transparency.TransparencyException;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogKey;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's side of key transparency (docs/transparency.md, "Client checks", "Gossip",
 * "Monitoring"): every key the relay serves is checked against the relay's signed log before it is
 * used; the newest verified tree head is kept and every later one must extend it; heads from
 * contacts are checked against ours; and this account's own entries are watched. Every failure
 * becomes an alert with a plain-language explanation and, where a contact is concerned, an event
 * in their key history.
 */
public final class LogAuditor {
    private static final String HEAD = "log.head";
    private static final String CHECKED_AT = "log.checked-at";
    private static final String MONITORED = "log.monitored";
    private static final String ALERTS = "log.alerts";
    private static final String POSITION_PREFIX = "log.position.";
    private static final int PAGE = 1000;
    private static final int RETRIES = 3;

    private final ProfileStore store;
    private final SettingsDao settings;
    private final Optional<LogKey> logKey;
    private final Account account;
    private final Clock clock;
    private final MessengerListener listener;
    private final DeviceLists deviceLists;

    LogAuditor(ProfileStore store, Invite invite, Account account, Clock clock, MessengerListener listener) {
        this.store = store;
        this.settings = store.settings();
        this.logKey = invite.logKey().map(LogKey::new);
        this.account = account;
        this.clock = clock;
        this.listener = listener;
        this.deviceLists = new DeviceLists(store, account, clock);
    }

    /** Whether the relay runs a log (its invite pins a log key); without one there is nothing to check. */
    boolean enabled() {
        return logKey.isPresent();
    }

    /** A failure's kind, as shown by {@code vouch log status}. */
    public enum Kind {
        BAD_SIGNATURE("a tree head is not signed by the log key in your invite"),
        MISSING_PROOF("the relay served keys without a log proof"),
        UNLOGGED_KEY("the relay served keys that its own log does not hold: an attempt to substitute a key"),
        BAD_PROOF("the relay's proof does not place the served keys in its log"),
        ROLLBACK("the relay showed an older state of its log than it showed you before: it may be hiding recent key changes"),
        INCONSISTENT("the relay's log does not extend the one it showed you before: entries were removed or changed"),
        SPLIT_VIEW("a contact was shown a log that cannot be reconciled with yours: the relay is showing different people different keys"),
        FOREIGN_ENTRY("the log holds an account key or device list for your handle that you did not publish: someone may be impersonating you");

        private final String explanation;

        Kind(String explanation) {
            this.explanation = explanation;
        }

        /** What it means, in words for the person at the screen. */
        public String explanation() {
            return explanation;
        }
    }

    // ----- served keys

    /**
     * {@code lookup}, checked before anything uses the answer: the account's signed device list
     * must verify (signature, handle, version; docs/devices.md) and the log's entry must commit to
     * exactly it and the account key. The answer returned lists exactly the devices of that list,
     * whatever else the relay served beside it. A refused list is told to the listener as a problem.
     */
    RelayConnection.Lookup lookup(RelayClient relay, String handle) throws ServiceException, StoreException {
        RelayConnection.Lookup served = RelayCalls.await(relay.lookup(handle));
        SignedDeviceList list;
        try {
            list = deviceLists.check(handle, served);
        } catch (DeviceListRefusedException e) {
            // recorded in the contact's key history; said at once too, like an alert
            listener.problem(e.getMessage());
            throw e;
        }
        checkServed(relay, handle, served.accountKey(), DeviceListHash.ofSigned(list.serialize()), served.log());
        return new RelayConnection.Lookup(served.accountKey(), list.devices().stream()
                .map(d -> new RelayConnection.DeviceEntry(d.deviceId(), d.key())).toList(), served.log(),
                Optional.of(list.serialize()));
    }

    /** A {@code fetchBundles} answer and the proven {@code lookup} its bundles were checked against. */
    record ProvenBundles(RelayConnection.Lookup proven, List<PreKeyBundle> bundles) {
    }

    /**
     * {@code fetchBundles}, checked before any bundle starts a session. A device without prekeys
     * has no bundle, so the bundles cannot be hashed against the logged device list: instead only
     * the bundles of devices that the signed list of a proven {@code lookup} holds, with the key it
     * gives them, are kept. Others are left out, never used: a device registered again whose new
     * key is not listed yet, or a device the account took off its list.
     */
    ProvenBundles bundles(RelayClient relay, String handle) throws ServiceException, StoreException {
        RelayConnection.Bundles served = RelayCalls.await(relay.fetchBundles(handle));
        RelayConnection.Lookup proven = lookup(relay, handle);
        if (!served.accountKey().equals(proven.accountKey())) {
            if (!enabled()) {
                throw new DeviceListRefusedException("the bundles of " + handle + " name another account key than"
                        + " its signed device list; none is used");
            }
            throw fail(Kind.UNLOGGED_KEY, handle, "the bundles of " + handle + " name account key "
                    + KeyDirectory.fingerprint(served.accountKey()) + ", which the log does not hold for it");
        }
        List<PreKeyBundle> listed = served.bundles().stream().filter(bundle -> proven.devices().stream()
                .anyMatch(d -> d.deviceId() == bundle.deviceId() && d.deviceKey().equals(bundle.identityKey())))
                .toList();
        return new ProvenBundles(proven, listed);
    }

    private void checkServed(RelayClient relay, String handle, AccountIdentityKey accountKey,
                             byte[] deviceListHash, Optional<RelayConnection.LogProof> log)
            throws ServiceException, StoreException {
        if (!enabled()) {
            return;
        }
        if (log.isEmpty()) {
            throw fail(Kind.MISSING_PROOF, handle, "keys of " + handle + " came without a log proof");
        }
        RelayConnection.LogProof proof = log.get();
        TreeHead head = advance(relay, proof.head(), handle);
        LogEntry entry = proof.entry();
        if (!entry.handle().equals(handle) || !entry.accountKey().equals(accountKey)
                || !Arrays.equals(entry.deviceListHash(), deviceListHash)) {
            throw fail(Kind.UNLOGGED_KEY, handle, "served account key " + KeyDirectory.fingerprint(accountKey)
                    + " and device list " + KeyFingerprint.of(deviceListHash) + " for " + handle
                    + "; the log's entry at position " + proof.index() + " says "
                    + KeyDirectory.fingerprint(entry.accountKey()) + " and " + KeyFingerprint.of(entry.deviceListHash()));
        }
        try {
            if (proof.proof().leafIndex() != proof.index()) {
                throw new MalformedDataException("the proof is for position " + proof.proof().leafIndex());
            }
            head.verifyInclusion(entry, proof.proof());
        } catch (TransparencyException | MalformedDataException e) {
            throw fail(Kind.BAD_PROOF, handle, handle + " at position " + proof.index() + ": " + e.getMessage());
        }
        settings.put(POSITION_PREFIX + handle, proof.index() + ":" + entry.version() + ":" + head.size() + ":"
                + clock.millis());
    }

    // ----- heads

    /** The newest head this client verified, if any. */
    Optional<SignedTreeHead> newestHead() throws StoreException {
        Optional<String> stored = settings.get(HEAD);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SignedTreeHead.decode(Base64.getDecoder().decode(stored.get())));
        } catch (MalformedDataException | IllegalArgumentException e) {
            throw new StoreException("the stored tree head does not decode: " + e.getMessage());
        }
    }

    /**
     * Verifies {@code served}'s signature and that it and our newest head are one history: the
     * newer one must extend the older (a consistency proof from the relay), equal sizes need equal
     * roots, and the relay may never go back below what it showed us. Keeps the newest verified head.
     */
    TreeHead advance(RelayClient relay, SignedTreeHead served, String subject) throws ServiceException, StoreException {
        return advance(relay, served, subject, false);
    }

    /** With {@code gossip}, every failure is reported as a split view: the head came from a contact, not the relay. */
    private TreeHead advance(RelayClient relay, SignedTreeHead served, String subject, boolean gossip)
            throws ServiceException, StoreException {
        TreeHead head = verifySignature(served, subject);
        Optional<SignedTreeHead> lastSigned = newestHead();
        if (lastSigned.isEmpty() || lastSigned.get().head().size() == 0) {
            keep(served);
            return head;
        }
        TreeHead last = lastSigned.get().head();
        if (head.size() < last.size()) {
            throw fail(gossip ? Kind.SPLIT_VIEW : Kind.ROLLBACK, subject, "the relay served a log of " + head.size() + " entries after showing "
                    + last.size());
        }
        if (head.size() == last.size()) {
            if (!Arrays.equals(head.root(), last.root())) {
                throw fail(gossip ? Kind.SPLIT_VIEW : Kind.INCONSISTENT, subject, "two different logs of " + head.size() + " entries");
            }
            settings.put(CHECKED_AT, Long.toString(clock.millis()));
            return head;
        }
        // Ask the relay to prove its newest head extends ours, then that the served one fits in it too.
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            RelayConnection.LogHeadAnswer fromLast = RelayCalls.await(relay.logHead(last.size()));
            TreeHead current = verifySignature(fromLast.head(), subject);
            if (current.size() < head.size()) {
                throw fail(gossip ? Kind.SPLIT_VIEW : Kind.ROLLBACK, subject, "the relay's newest log (" + current.size()
                        + " entries) is older than the one it just served (" + head.size() + ")");
            }
            verifyConsistency(last, current, fromLast.consistency(), subject, gossip);
            if (current.size() == head.size()) {
                if (!Arrays.equals(current.root(), head.root())) {
                    throw fail(gossip ? Kind.SPLIT_VIEW : Kind.INCONSISTENT, subject, "two different logs of " + head.size() + " entries");
                }
                keep(fromLast.head());
                return head;
            }
            RelayConnection.LogHeadAnswer fromServed = RelayCalls.await(relay.logHead(head.size()));
            TreeHead current2 = verifySignature(fromServed.head(), subject);
            if (current2.equals(current)) {
                verifyConsistency(head, current2, fromServed.consistency(), subject, gossip);
                keep(fromServed.head());
                return head;
            }
            // the log grew in between: try again against its newest head
        }
        throw new RelayFailureException("the relay's log kept changing while it was checked; try again");
    }

    private TreeHead verifySignature(SignedTreeHead signed, String subject) throws ServiceException, StoreException {
        try {
            return logKey.orElseThrow().verify(signed);
        } catch (TransparencyException e) {
            throw fail(Kind.BAD_SIGNATURE, subject, e.getMessage());
        }
    }

    private void verifyConsistency(TreeHead older, TreeHead newer,
                                   Optional<dev.vouch.transparency.merkle.ConsistencyProof> proof, String subject,
                                   boolean gossip) throws ServiceException, StoreException {
        try {
            if (proof.isEmpty()) {
                throw new MalformedDataException("no consistency proof");
            }
            older.verifyConsistency(newer, proof.get());
        } catch (TransparencyException | MalformedDataException e) {
            throw fail(gossip ? Kind.SPLIT_VIEW : Kind.INCONSISTENT, subject, "from " + older.size() + " to "
                    + newer.size() + " entries: " + e.getMessage());
        }
    }

    private void keep(SignedTreeHead head) throws StoreException {
        store.context().database().transaction(connection -> {
            settings.put(HEAD, Base64.getEncoder().encodeToString(head.serialize()));
            settings.put(CHECKED_AT, Long.toString(clock.millis()));
            return null;
        });
    }

    // ----- gossip

    /**
     * A head a contact's message carried: it must be one history with ours. A contact shown a
     * forked log, or we, find out here (docs/transparency.md, "Gossip").
     */
    void gossip(RelayClient relay, String contact, SignedTreeHead theirs) throws StoreException {
        if (!enabled()) {
            return;
        }
        try {
            TreeHead head = verifySignature(theirs, contact);
            Optional<SignedTreeHead> ours = newestHead();
            if (ours.isPresent() && head.size() < ours.get().head().size()) {
                // Theirs is older: the relay must prove it is a prefix of its newest, which must extend ours.
                RelayConnection.LogHeadAnswer answer = RelayCalls.await(relay.logHead(head.size()));
                TreeHead current = verifySignature(answer.head(), contact);
                verifyConsistency(head, current, answer.consistency(), contact, true);
                advance(relay, answer.head(), contact, true);
            } else {
                advance(relay, theirs, contact, true);
            }
        } catch (TransparencyFailureException e) {
            // already recorded as an alert naming the contact
        } catch (RelayFailureException e) {
            listener.problem("could not compare " + contact + "'s log head with yours yet: " + e.getMessage());
        } catch (ServiceException e) {
            listener.problem(e.getMessage());
        }
    }

    // ----- self-monitoring

    /**
     * Reads the log entries added since the last check (each proven in place, and contiguous, so
     * none can be skipped) and raises an alert for every entry of this account's handle that does
     * not hold this account's own keys.
     */
    void monitor(RelayClient relay) throws ServiceException, StoreException {
        if (!enabled()) {
            return;
        }
        long next = settings.get(MONITORED).map(Long::parseLong).orElse(0L);
        byte[] ownDevices = DeviceListHash.of(Map.of(account.deviceId(), account.deviceIdentity().publicKey()));
        while (true) {
            RelayConnection.LogEntries page = RelayCalls.await(relay.logEntries(next, PAGE));
            TreeHead head = advance(relay, page.head(), account.handle());
            for (RelayConnection.LogEntryProof item : page.entries()) {
                if (item.index() != next) {
                    throw fail(Kind.BAD_PROOF, account.handle(), "the log skipped from position " + next + " to "
                            + item.index());
                }
                try {
                    if (item.proof().leafIndex() != item.index()) {
                        throw new MalformedDataException("the proof is for position " + item.proof().leafIndex());
                    }
                    head.verifyInclusion(item.entry(), item.proof());
                } catch (TransparencyException | MalformedDataException e) {
                    throw fail(Kind.BAD_PROOF, account.handle(), "entry at position " + item.index() + ": " + e.getMessage());
                }
                LogEntry entry = item.entry();
                if (entry.handle().equals(account.handle())
                        && (!entry.accountKey().equals(account.accountIdentity().publicKey())
                        || !(Arrays.equals(entry.deviceListHash(), ownDevices)
                        || deviceLists.isOwn(entry.deviceListHash())))) {
                    alert(Kind.FOREIGN_ENTRY, "", "version " + entry.version() + " at position " + item.index()
                            + " names account key " + KeyDirectory.fingerprint(entry.accountKey()) + "; yours is "
                            + KeyDirectory.fingerprint(account.accountIdentity().publicKey()));
                }
                next++;
            }
            settings.put(MONITORED, Long.toString(next));
            if (page.entries().isEmpty() || next >= head.size()) {
                return;
            }
        }
    }

    // ----- alerts and status

    private TransparencyFailureException fail(Kind kind, String subject, String detail) throws StoreException {
        alert(kind, subject, detail);
        return new TransparencyFailureException(kind.explanation + " (" + detail + ")");
    }

    /** Records an alert once (the same kind, subject and detail again only refreshes nothing), and the contact's event. */
    void alert(Kind kind, String subject, String detail) throws StoreException {
        List<TransparencyAlert> known = alerts();
        if (known.stream().anyMatch(a -> a.kind() == kind && a.subject().equals(subject) && a.detail().equals(detail))) {
            return;
        }
        Instant now = clock.instant();
        String line = now.toEpochMilli() + "\t" + kind.name() + "\t" + subject.replace('\t', ' ') + "\t"
                + detail.replace('\t', ' ').replace('\n', ' ');
        store.context().database().transaction(connection -> {
            settings.put(ALERTS, settings.get(ALERTS).map(s -> s + "\n" + line).orElse(line));
            Optional<Contact> contact = subject.isEmpty() ? Optional.empty() : store.contacts().find(subject);
            if (contact.isPresent()) {
                store.contacts().addEvent(contact.get().id(), now, kind == Kind.ROLLBACK
                        ? KeyEvent.Type.ROLLBACK_REFUSED : KeyEvent.Type.TRANSPARENCY_CHECK_FAILED,
                        kind.explanation + ": " + detail);
            }
            return null;
        });
        listener.problem("transparency alert: " + kind.explanation + " (" + detail + ")");
    }

    List<TransparencyAlert> alerts() throws StoreException {
        List<TransparencyAlert> out = new ArrayList<>();
        for (String line : settings.get(ALERTS).orElse("").split("\n")) {
            String[] f = line.split("\t", 4);
            if (f.length == 4) {
                out.add(new TransparencyAlert(Instant.ofEpochMilli(Long.parseLong(f[0])), Kind.valueOf(f[1]), f[2], f[3]));
            }
        }
        return out;
    }

    Optional<Instant> checkedAt() throws StoreException {
        return settings.get(CHECKED_AT).map(s -> Instant.ofEpochMilli(Long.parseLong(s)));
    }

    long monitoredUpTo() throws StoreException {
        return settings.get(MONITORED).map(Long::parseLong).orElse(0L);
    }

    Optional<LogPosition> position(String handle) throws StoreException {
        return settings.get(POSITION_PREFIX + handle).map(s -> {
            String[] f = s.split(":");
            return new LogPosition(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Instant.ofEpochMilli(Long.parseLong(f[3])));
        });
    }
}
