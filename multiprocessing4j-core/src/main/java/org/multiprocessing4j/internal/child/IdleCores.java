package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores of the machine were idle lately, from the kernel's counters ({@code /proc/stat}, Linux): a ready
 * JVM rehearses only while the machine has cores to spare, never at the expense of the user's processes.
 */
final class IdleCores {
    private static final Path STAT = Path.of("/proc/stat");
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private long idle = -1;
    private long total;

    /**
     * Samples the counters; the first call only starts the window.
     *
     * @return the idle cores since the previous call (0 to the machine's count), or {@code Double.NaN} if the
     *     counters cannot be read (not Linux) or this is the first call
     */
    double sample() {
        long[] now = read();
        if (now == null) {
            return Double.NaN;
        }
        double cores = Double.NaN;
        if (idle >= 0 && now[1] > total) {
            cores = Math.max(cpus, 1) * (double) (now[0] - idle) / (now[1] - total);
        }
        idle = now[0];
        total = now[1];
        return cores;
    }

    /**
     * @return the cores a rehearsal should find idle: most of two (it runs two threads and the compiler), or one;
     *     the system property mp4j.rehearsal.idleCores overrides it (0: rehearse whatever the load)
     */
    double wanted() {
        String own = System.getProperty("mp4j.rehearsal.idleCores");
        if (own != null) {
            try {
                return Double.parseDouble(own);
            } catch (NumberFormatException e) {
                // the default, then
            }
        }
        return cpus >= 2 ? 1.6 : 0.8;
    }

    /** @return {idle + iowait, total} in clock ticks over all cores, or null */
    private static long[] read() {
        try {
            String line = Files.readAllLines(STAT).get(0);
            String[] f = line.trim().split("\\s+");
            if (!"cpu".equals(f[0]) || f.length < 8) {
                return null;
            }
            long sum = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                sum += Long.parseLong(f[i]);
            }
            return new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), sum};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
