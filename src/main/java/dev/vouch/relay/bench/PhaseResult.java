package dev.vouch.relay.bench;

/**
 * The figures of one phase of a relay load run. Latencies are in milliseconds, measured from the
 * moment the schedule meant the envelope to be sent (not from when it actually went out) to its
 * {@code deliver} frame at the recipient; rates are per second.
 *
 * @param name "warm-up", "steady" or "step N"
 * @param targetRate envelopes per second the schedule asked for
 * @param seconds how long envelopes were sent
 * @param sent {@code send} requests made
 * @param accepted answered {@code ok} by the relay
 * @param failed answered with an error, timed out, or unanswered when the phase ended
 * @param delivered distinct envelopes delivered to their recipient
 * @param deliveredInWindow of those, delivered while the phase was still sending
 * @param lost accepted, and not delivered by the end of the drain period
 * @param duplicates deliveries of an envelope that had already been delivered
 * @param misdelivered deliveries to a device the envelope was not addressed to
 * @param acceptP50 {@code send} to {@code ok}, median
 * @param acceptP99 {@code send} to {@code ok}, 99th percentile
 * @param relayCpu CPU cores the relay process used on average, or -1 when not measurable
 * @param benchCpu CPU cores this JVM (the clients; the relay too when it runs in-process) used
 * @param otherCpu CPU cores the rest of the machine used meanwhile (other programs: their load
 *     slows the relay and the clients down), or -1 when not measurable
 * @param loadAverage the machine's one-minute load average at the end of the phase
 * @param aborted why sending stopped before the end, or null
 * @param reconnects client connections that dropped and reconnected during the phase
 * @param firstError the first failed send's error, or null
 */
public record PhaseResult(String name, int clients, int targetRate, double seconds, long sent, long accepted,
                          long failed, long delivered, long deliveredInWindow, long lost, long duplicates,
                          long misdelivered, double p50, double p90, double p99, double p999, double max,
                          double acceptP50, double acceptP99, double relayCpu, double benchCpu, double otherCpu,
                          double loadAverage,
                          String aborted, long reconnects, String firstError) {

    /** Envelopes the schedule actually sent per second. */
    public double offeredRate() {
        return seconds > 0 ? sent / seconds : 0;
    }

    /** Envelopes delivered per second while the phase was sending. */
    public double deliveredRate() {
        return seconds > 0 ? deliveredInWindow / seconds : 0;
    }

    /** Nothing lost, duplicated, misdelivered or refused. */
    public boolean intact() {
        return lost == 0 && duplicates == 0 && misdelivered == 0 && failed == 0;
    }

    /**
     * The phase sustained its rate: intact, not aborted, the relay kept up (delivered at least 97%
     * of the target rate while sending) and the 99th percentile is within {@code p99TargetMillis}.
     */
    public boolean sustained(double p99TargetMillis) {
        return intact() && aborted == null && deliveredRate() >= 0.97 * targetRate && p99 <= p99TargetMillis;
    }
}
