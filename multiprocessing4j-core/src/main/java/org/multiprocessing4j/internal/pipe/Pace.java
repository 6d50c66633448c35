package org.multiprocessing4j.internal.pipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much one side of a message streaming through a {@link ShmRing} copies before it publishes its counter: a
 * piece of {@link #PIECE} bytes, so that the two sides copy at the same time; or, on a machine whose cores are
 * shared with other load, everything there is after a wait that shows the other side was away.
 *
 * <pre>
 * Why two regimes, measured with 64 MiB messages on the 2-core machine:
 *  both processes on a core of their own  pieces pipeline the two copies (the reader copies one piece out while the
 *                                         writer copies the next in, through cache): best of 20 transfers
 *                                         7.4 -> 15.6 GB/s (recvBytes), 12.9 -> 21.6 (recvBytesInto) against
 *                                         copying the whole ring at once.
 *  cores shared with other load           every wait is a chance to lose the core for a scheduling period, and
 *                                         pieces make a wait per piece: 30-45 % slower than whole-ring copies
 *                                         (load 10-20), which make two waits per ring.
 * Which regime: the 1-minute load average against the cores (read at most every 100 ms; a busy pipe adds ~2 of
 * its own), unless -Dmp4j.pipe.coresShared=true or false says. When shared, a wait longer than AWAY_NANOS (pieces
 * arrive every ~20 us while both run) switches to whole copies for the rest of the message; a short one switches
 * back. A wait cannot tell a side that lost its core from one busy with a whole copy (~200 us for a 4 MiB ring),
 * so once both copy whole rings they stay in lock-step for the message: the right thing on shared cores, half the
 * speed on free ones, hence the load test.
 * </pre>
 */
final class Pace {
    /** Bytes per piece: a quarter of a core's L2, so that a piece is still in cache for the reader. */
    static final int PIECE = 256 * 1024;
    /** A wait longer than this means the other side was away. */
    static final long AWAY_NANOS = 100_000;
    /** Overrides the load test: {@code true} or {@code false}. */
    static final String SHARED_PROPERTY = "mp4j.pipe.coresShared";
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final long LOAD_REREAD_NANOS = 100_000_000;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static volatile long loadReadAt = System.nanoTime() - 2 * LOAD_REREAD_NANOS;
    private static volatile boolean shared = true;

    private final boolean adaptive = coresShared();
    private long waitStart;
    private int piece = PIECE;

    /** This side found nothing to copy and waits (called on every round of the wait). */
    void waiting() {
        if (waitStart == 0 && adaptive) {
            waitStart = System.nanoTime();
        }
    }

    /** @return the most to copy before the next publication */
    int piece() {
        if (waitStart != 0) {
            piece = System.nanoTime() - waitStart > AWAY_NANOS ? Integer.MAX_VALUE : PIECE;
            waitStart = 0;
        }
        return piece;
    }

    /**
     * @return whether more is runnable than the cores hold (the load average over a minute exceeds the cores plus
     *     one), or the load cannot be read
     */
    static boolean coresShared() {
        String forced = System.getProperty(SHARED_PROPERTY);
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        long now = System.nanoTime();
        if (now - loadReadAt < LOAD_REREAD_NANOS) {
            return shared;
        }
        loadReadAt = now;
        boolean s;
        try {
            String line = Files.readString(LOADAVG);
            s = Double.parseDouble(line.substring(0, line.indexOf(' '))) > CORES + 1;
        } catch (IOException | RuntimeException e) {
            s = true;
        }
        shared = s;
        return s;
    }
}
