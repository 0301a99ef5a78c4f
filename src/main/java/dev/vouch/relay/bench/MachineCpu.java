package dev.vouch.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The whole machine's CPU time from Linux's {@code /proc/stat}; elsewhere nothing is known. */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");

    private MachineCpu() {
    }

    /** {busy, total} clock ticks of all CPUs so far, or null when they cannot be read. */
    static long[] read() {
        try {
            String first = Files.readAllLines(STAT).get(0);
            String[] f = first.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 8) {
                return null;
            }
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Cores busy on average between two readings, or -1. */
    static double busyCores(long[] before, long[] after) {
        if (before == null || after == null || after[1] <= before[1]) {
            return -1;
        }
        return (after[0] - before[0]) / (double) (after[1] - before[1]) * Runtime.getRuntime().availableProcessors();
    }
}
