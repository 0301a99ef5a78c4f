package dev.vouch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds a secondary metric {@value #LABEL}: the iteration's operations divided by the CPU time of
 * the benchmark's own worker thread in that iteration. On a machine whose cores are shared with
 * other work, wall-clock throughput falls with every slice the scheduler gives to someone else;
 * the worker's CPU time does not, so ratios between benchmarks run minutes apart stay comparable.
 *
 * <p>Only the worker thread counts: the JIT compiler, which may still be busy on the other core
 * during the first measured iterations of a large benchmark, and the garbage collector's threads
 * are left out (the JVM's process CPU time would charge the JIT to whichever benchmark happens to
 * be running). Allocation-heavy operations therefore look slightly cheaper by this metric than by
 * the wall clock on an idle machine. Use with {@code -prof dev.vouch.bench.CpuTimeProfiler}; the
 * bench profile always does.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    static final String LABEL = "cpu";
    /** JMH names its benchmark threads {@code <benchmark>-jmh-worker-<n>}. */
    private static final String WORKER = "-jmh-worker-";
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> atStart = Map.of();

    public CpuTimeProfiler() {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new UnsupportedOperationException("this JVM cannot measure a thread's CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    @Override
    public String getDescription() {
        return "operations per CPU-second of the benchmark thread";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        atStart = workerCpuTimes();
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpuNanos = 0;
        for (Map.Entry<Long, Long> worker : workerCpuTimes().entrySet()) {
            // a worker started during this iteration has spent all its CPU time in it
            cpuNanos += worker.getValue() - atStart.getOrDefault(worker.getKey(), 0L);
        }
        // all ops the iteration made, the synchronisation ramps included, as the CPU window includes them
        long ops = result.getMetadata().getAllOps();
        if (cpuNanos <= 0 || ops <= 0) {
            return List.of();
        }
        return List.of(new ScalarResult(LABEL, ops * 1e9 / cpuNanos, "ops/cpu-s", AggregationPolicy.AVG));
    }

    private Map<Long, Long> workerCpuTimes() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(WORKER)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    out.put(info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }
}
