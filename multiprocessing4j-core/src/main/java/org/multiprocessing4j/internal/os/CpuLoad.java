package org.multiprocessing4j.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many of the machine's cores were idle lately, from the kernel's counters ({@code /proc/stat}, Linux; in clock
 * ticks, 10 ms): what the library's background work looks at so that it runs on cores that no one else needs (a
 * ready JVM's boot, its rehearsal), never at the expense of the user's processes.
 *
 * <pre>
 * Overview: a sampler keeps the counters of its previous {@link #sample()}; each sample measures the window since
 * it. The ticks make a short window coarse (a 40 ms window of 2 cores holds 8 ticks): callers compare with
 * thresholds of a core or more. Where the counters cannot be read (not Linux), a sample has no figure (NaN).
 * A sampler made {@link #besidesThisProcess()} also reads this process's own ticks ({@code /proc/self/stat}, all its
 * threads), so that a process can tell how idle the machine was apart from itself while it ran.
 * Not thread-safe: one sampler per caller thread.
 * </pre>
 */
public final class CpuLoad {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private final int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final boolean self;
    private long idle = -1;
    private long total;
    private long own = -1;
    private double idleCores = Double.NaN;
    private double idleBesidesSelf = Double.NaN;

    /** A sampler whose first {@link #sample()} only starts the window. */
    public CpuLoad() {
        this(false);
    }

    private CpuLoad(boolean self) {
        this.self = self;
    }

    /** @return a sampler that also reads this process's own ticks: see {@link #idleBesidesSelf()} */
    public static CpuLoad besidesThisProcess() {
        return new CpuLoad(true);
    }

    /**
     * Reads the counters and ends the window begun by the previous call.
     *
     * @return this sampler, whose {@link #idle()} now describes the window
     */
    public CpuLoad sample() {
        long[] now = read();
        long ownNow = self ? ownTicks() : -1;
        idleCores = Double.NaN;
        idleBesidesSelf = Double.NaN;
        if (now == null) {
            return this;
        }
        if (idle >= 0 && now[1] > total) {
            idleCores = cpus * (double) (now[0] - idle) / (now[1] - total);
            if (own >= 0 && ownNow >= own) {
                idleBesidesSelf = Math.min(cpus, cpus * (double) (now[0] - idle + ownNow - own) / (now[1] - total));
            }
        }
        idle = now[0];
        total = now[1];
        own = ownNow;
        return this;
    }

    /** @return the cores idle in the last window (0 to the core count), or NaN (first sample, not Linux) */
    public double idle() {
        return idleCores;
    }

    /**
     * @return the cores that were idle in the last window or busy with this process (0 to the core count): what the
     *     machine had to spare apart from this process; NaN as for {@link #idle()}, or for a sampler not made
     *     {@link #besidesThisProcess()}
     */
    public double idleBesidesSelf() {
        return idleBesidesSelf;
    }

    /** @return the machine's core count, as the JVM sees it */
    public int cpus() {
        return cpus;
    }

    /** @return the clock ticks this process has run (user + system, all its threads), or -1 */
    private static long ownTicks() {
        try {
            String line = Files.readString(SELF_STAT);
            // pid (comm) state ppid ...: the name may hold spaces and parentheses, the fields after the last ')' not
            String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
