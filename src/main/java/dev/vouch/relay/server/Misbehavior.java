package dev.vouch.relay.server;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleHash;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay as the attacker of PRODUCT.md T2, on purpose ({@code vouch relay --misbehave MODE}),
 * for tests and demonstrations of what clients catch (docs/transparency.md, "Misbehaving on
 * purpose"). {@link LogService} asks it at each point where an attacker would depart from the
 * honest answer; the base class answers honestly, each mode overrides what it changes:
 *
 * <ul>
 *   <li>{@code substitute-key}: relay-made keys for every other account, unlogged; the proof is
 *       the real entry's.</li>
 *   <li>{@code substitute-key-logged}: the same, with the relay-made entry appended (as the
 *       handle's next version) to the log every device sees.</li>
 *   <li>{@code split-view}: the first device to authenticate (or, switched on while devices are
 *       connected, the first to ask) sees the honest log; every other one a fork that holds one
 *       relay-made entry.</li>
 *   <li>{@code rollback}: after a device's first answer, heads (and proofs) of an older size.</li>
 *   <li>{@code drop-entry}: the log without the entry that was newest when the relay started.</li>
 *   <li>{@code bad-proof}: inclusion proofs from a different tree.</li>
 *   <li>{@code inject-device}: every other account's device list with one more device, a
 *       relay-made one, signed by a relay-made key (the account never signed it).</li>
 * </ul>
 *
 * <p>The mode can also be changed while the relay runs ({@link RelayServer#misbehave}): each
 * change makes a new instance, starting from the log as it is then; {@code vouch demo} does this.
 *
 * <p>A misbehaving relay's own entries and forks live in memory only and are gone when it stops.
 */
public abstract class Misbehavior {
    /** The {@code --misbehave} modes. */
    public enum Mode {
        SUBSTITUTE_KEY("substitute-key"),
        SUBSTITUTE_KEY_LOGGED("substitute-key-logged"),
        SPLIT_VIEW("split-view"),
        ROLLBACK("rollback"),
        DROP_ENTRY("drop-entry"),
        BAD_PROOF("bad-proof"),
        INJECT_DEVICE("inject-device");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** The mode's name on the command line. */
        public String flag() {
            return flag;
        }

        public static Optional<Mode> parse(String flag) {
            for (Mode mode : values()) {
                if (mode.flag.equals(flag == null ? null : flag.toLowerCase(Locale.ROOT))) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return flag;
        }
    }

    final TransparencyLog honest;

    private Misbehavior(TransparencyLog honest) {
        this.honest = honest;
    }

    /** No misbehavior: every answer as {@link LogService} makes it. */
    static Misbehavior none(TransparencyLog log) {
        return new Misbehavior(log) {
        };
    }

    /** The given mode over the relay's log, as of now (a fork starts from the log's current size). */
    static Misbehavior of(Mode mode, TransparencyLog log, Clock clock) throws RelayStorageException {
        SecureRandom random = CryptoRandom.get();
        switch (mode) {
            case SUBSTITUTE_KEY:
                return new SubstituteKey(log, null, clock, random);
            case SUBSTITUTE_KEY_LOGGED:
                return new SubstituteKey(log, ForkedLog.fork(log, log.size(), log.size()), clock, random);
            case SPLIT_VIEW:
                return new SplitView(log, clock, random);
            case ROLLBACK:
                return new Rollback(log);
            case DROP_ENTRY:
                return new DropEntry(log);
            case BAD_PROOF:
                return new BadProof(log, random);
            case INJECT_DEVICE:
                return new InjectDevice(log, clock, random);
            default:
                throw new IllegalArgumentException("unknown misbehave mode " + mode);
        }
    }

    /** A device authenticated (or registered). */
    void authenticated(DeviceAddress device) {
    }

    /** The log {@code asker} is shown: its heads, entries and proofs. */
    TransparencyLog view(DeviceAddress asker) throws RelayStorageException {
        return honest;
    }

    /**
     * The size of the head to show {@code asker}, given the view's newest size and the smallest
     * size the answer needs ({@code needed}, 0 when it needs none).
     */
    long headSize(DeviceAddress asker, long newest, long needed) {
        return newest;
    }

    /** The inclusion proof to serve in place of {@code proof}. */
    InclusionProof proof(InclusionProof proof) {
        return proof;
    }

    /** The keys to answer a {@code lookup} of {@code handle} with. */
    AccountDevices lookup(DeviceAddress asker, String handle, AccountDevices stored) throws RelayStorageException {
        return stored;
    }

    /** The bundles to answer a {@code fetchBundles} of {@code handle} with. */
    ClaimedAccount bundles(DeviceAddress asker, String handle, ClaimedAccount claimed) throws RelayStorageException {
        return claimed;
    }

    /** Relay-made keys for handles, made once per handle and optionally logged in a fork when made. */
    private static final class Impostors {
        private final Map<String, RelayMadeAccount> made = new ConcurrentHashMap<>();
        private final Clock clock;
        private final SecureRandom random;

        Impostors(Clock clock, SecureRandom random) {
            this.clock = clock;
            this.random = random;
        }

        /** The handle's relay-made keys; when first made, appended to {@code logInto} (if any) as the next version. */
        synchronized RelayMadeAccount of(String handle, ForkedLog logInto) throws RelayStorageException {
            RelayMadeAccount account = made.get(handle);
            if (account == null) {
                account = new RelayMadeAccount(handle, clock.millis(), random);
                if (logInto != null) {
                    logInto.appendOwn(handle, account::entry);
                }
                made.put(handle, account);
            }
            return account;
        }
    }

    /** {@code substitute-key}, and with a log to append to, {@code substitute-key-logged}. */
    private static final class SubstituteKey extends Misbehavior {
        private final ForkedLog logged;
        private final Impostors impostors;

        SubstituteKey(TransparencyLog honest, ForkedLog logged, Clock clock, SecureRandom random) {
            super(honest);
            this.logged = logged;
            this.impostors = new Impostors(clock, random);
        }

        @Override
        TransparencyLog view(DeviceAddress asker) throws RelayStorageException {
            if (logged == null) {
                return honest;
            }
            logged.sync();
            return logged;
        }

        @Override
        AccountDevices lookup(DeviceAddress asker, String handle, AccountDevices stored) throws RelayStorageException {
            return handle.equals(asker.handle()) ? stored : impostors.of(handle, logged).lookup();
        }

        @Override
        ClaimedAccount bundles(DeviceAddress asker, String handle, ClaimedAccount claimed) throws RelayStorageException {
            return handle.equals(asker.handle()) ? claimed : impostors.of(handle, logged).bundles();
        }
    }

    /**
     * {@code split-view}: the first device to authenticate sees the honest log, every other one a
     * fork that holds one relay-made entry the honest log never gets. Keys are served honestly, with
     * proofs in each device's own view, so the two groups still talk, and the heads their messages
     * carry are what gives the fork away.
     */
    private static final class SplitView extends Misbehavior {
        static final String DECOY = "relay-made-entry";

        private final AtomicReference<DeviceAddress> first = new AtomicReference<>();
        private final ForkedLog fork;
        private final Impostors impostors;

        SplitView(TransparencyLog honest, Clock clock, SecureRandom random) throws RelayStorageException {
            super(honest);
            this.fork = ForkedLog.fork(honest, honest.size(), honest.size());
            this.impostors = new Impostors(clock, random);
        }

        @Override
        void authenticated(DeviceAddress device) {
            first.compareAndSet(null, device);
        }

        /** Switched on at runtime, nobody may authenticate again: then the first to ask is the honest one. */
        private boolean forked(DeviceAddress asker) {
            first.compareAndSet(null, asker);
            return !asker.equals(first.get());
        }

        @Override
        TransparencyLog view(DeviceAddress asker) throws RelayStorageException {
            if (!forked(asker)) {
                return honest;
            }
            fork.sync();
            impostors.of(DECOY, fork); // appended once, when the fork is first shown
            return fork;
        }
    }

    /**
     * {@code rollback}: a device's first answer is honest; after it, each head is of the smallest
     * size the answer needs (the entry asked for), or one less than that first head's size when it
     * needs none, and never larger than the newest.
     */
    private static final class Rollback extends Misbehavior {
        private final Map<DeviceAddress, Long> firstSizes = new ConcurrentHashMap<>();

        Rollback(TransparencyLog honest) {
            super(honest);
        }

        @Override
        long headSize(DeviceAddress asker, long newest, long needed) {
            Long first = firstSizes.putIfAbsent(asker, newest);
            if (first == null) {
                return newest;
            }
            long older = needed > 0 ? needed : first - 1;
            return Math.max(0, Math.min(newest, older));
        }
    }

    /** {@code drop-entry}: the log rebuilt without the entry that was newest at start (the first one, if none was). */
    private static final class DropEntry extends Misbehavior {
        private final ForkedLog rewritten;

        DropEntry(TransparencyLog honest) throws RelayStorageException {
            super(honest);
            long dropped = Math.max(0, honest.size() - 1);
            this.rewritten = ForkedLog.fork(honest, dropped, dropped + 1);
        }

        @Override
        TransparencyLog view(DeviceAddress asker) throws RelayStorageException {
            rewritten.sync();
            return rewritten;
        }
    }

    /**
     * {@code inject-device}: another account's {@code lookup} answer holds its real account key and
     * bound devices, and a device list of the next version with one relay-made device more (id one
     * above the highest) that a relay-made key signed: the list a relay would need to read along,
     * which the account's own key never signed. Bundles and the log proof are honest.
     */
    private static final class InjectDevice extends Misbehavior {
        private final Clock clock;
        private final SecureRandom random;
        private final Map<String, RelayMadeAccount> injected = new ConcurrentHashMap<>();

        InjectDevice(TransparencyLog honest, Clock clock, SecureRandom random) {
            super(honest);
            this.clock = clock;
            this.random = random;
        }

        @Override
        AccountDevices lookup(DeviceAddress asker, String handle, AccountDevices stored) throws RelayStorageException {
            if (handle.equals(asker.handle())) {
                return stored;
            }
            int highest = stored.devices().stream().mapToInt(RelayStorage.BoundDevice::deviceId).max().orElse(0);
            return injected.computeIfAbsent(handle, h -> new RelayMadeAccount(h, highest + 1, clock.millis(), random))
                    .injectedInto(stored);
        }
    }

    /**
     * {@code bad-proof}: each inclusion proof as in a tree where the lowest subtree beside the
     * entry's path is relay-made; a proof with no hashes (a tree of one entry) becomes the proof in
     * that tree with one relay-made entry appended.
     */
    private static final class BadProof extends Misbehavior {
        private final SecureRandom random;

        BadProof(TransparencyLog honest, SecureRandom random) {
            super(honest);
            this.random = random;
        }

        @Override
        InclusionProof proof(InclusionProof proof) {
            byte[] relayMade = new byte[32];
            random.nextBytes(relayMade);
            byte[] other = MerkleHash.leafHash(relayMade);
            if (proof.length() == 0) {
                return new InclusionProof(proof.leafIndex(), proof.treeSize() + 1, List.of(other));
            }
            List<byte[]> hashes = proof.hashes();
            hashes.set(0, other);
            return new InclusionProof(proof.leafIndex(), proof.treeSize(), hashes);
        }
    }
}
