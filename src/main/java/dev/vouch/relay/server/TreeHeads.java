package dev.vouch.relay.server;

import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import java.time.Clock;
import java.time.Duration;

/**
 * Signed tree heads of one log, made on demand: the newest size at the relay's time, signed by
 * the log key, and kept for reuse until the log grows or {@link #MAX_AGE} has passed, so a busy
 * relay signs about once per change or minute rather than once per answer.
 */
final class TreeHeads {
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final TransparencyLog log;
    private final LogSigner signer;
    private final Clock clock;
    private SignedTreeHead cached;

    TreeHeads(TransparencyLog log, LogSigner signer, Clock clock) {
        this.log = log;
        this.signer = signer;
        this.clock = clock;
    }

    /** A signed head of the log's newest size, not older than {@link #MAX_AGE}. */
    synchronized SignedTreeHead newest() {
        long size = log.size();
        long now = clock.millis();
        SignedTreeHead head = cached;
        if (head == null || head.head().size() != size || now < head.head().timestamp()
                || now - head.head().timestamp() >= MAX_AGE.toMillis()) {
            head = sign(size, now);
            cached = head;
        }
        return head;
    }

    /** A freshly signed head of an earlier size (a misbehaving relay's rollback); not cached. */
    SignedTreeHead at(long size) {
        return sign(size, clock.millis());
    }

    private SignedTreeHead sign(long size, long now) {
        return signer.sign(new TreeHead(size, log.root(size), Math.max(0, now)));
    }
}
