package dev.vouch.relay.server;

import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.transparency.merkle.InclusionProof;

/**
 * Where a relay could depart from the honest log: {@link LogService} asks at each point where an
 * attacker would (which log a device sees, which head size, which proof, which keys), and this
 * base class answers honestly.
 */
public abstract class Misbehavior {
    final TransparencyLog honest;

    private Misbehavior(TransparencyLog honest) {
        this.honest = honest;
    }

    /** No misbehavior: every answer as {@link LogService} makes it. */
    static Misbehavior none(TransparencyLog log) {
        return new Misbehavior(log) {
        };
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
}
