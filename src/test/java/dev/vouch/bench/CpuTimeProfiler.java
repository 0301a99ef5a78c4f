package dev.vouch.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds a secondary metric {@value #LABEL}: the iteration's operations divided by the CPU time the
 * benchmark JVM used in that iteration (all its threads, so GC and any late JIT work count as
 * cost). On a machine whose cores are shared with other work, wall-clock throughput falls with
 * every cycle the scheduler gives to someone else; CPU-time throughput does not, so ratios between
 * benchmarks run minutes apart stay comparable. On an idle machine the two agree to within a few
 * percent. Use with {@code -prof dev.vouch.bench.CpuTimeProfiler}; the bench profile always does.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    static final String LABEL = "cpu";
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "operations per CPU-second of the benchmark JVM";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
        // all ops the iteration made, the synchronisation ramps included, as the CPU window includes them
        long ops = result.getMetadata().getAllOps();
        if (cpuNanos <= 0 || ops <= 0) {
            return List.of();
        }
        return List.of(new ScalarResult(LABEL, ops * 1e9 / cpuNanos, "ops/cpu-s", AggregationPolicy.AVG));
    }
}
