package org.multiprocessing4j.internal.pipe;

/**
 * How much one side of a message streaming through a {@link ShmRing} copies before it publishes its counter: a
 * piece of {@link #PIECE} bytes while the other side keeps up, everything there is after a wait that shows the
 * other side was away (descheduled, or parked).
 *
 * <pre>
 * Why two regimes, measured with 64 MiB messages on the 2-core machine:
 *  both processes on a core of their own  small pieces pipeline the two copies (the reader copies one piece out
 *                                         while the writer copies the next in, through cache): best of 20
 *                                         transfers 7.4 -> 15.6 GB/s (recvBytes), 12.9 -> 21.6 (recvBytesInto)
 *                                         against copying the whole ring at once.
 *  cores shared with other load           every wait is a chance to lose the core for a scheduling period, and
 *                                         small pieces make a wait per piece: 30-45 % slower than whole-ring
 *                                         copies (load 10-20), which make two waits per ring.
 * A wait longer than AWAY_NANOS (pieces arrive every ~20 us while both run) switches to whole copies for the rest
 * of the message; a short one switches back. Each message starts with pieces.
 * </pre>
 */
final class Pace {
    /** Bytes per piece while both sides run: a quarter of a core's L2, so that a piece is still in cache for the reader. */
    static final int PIECE = 256 * 1024;
    /** A wait longer than this means the other side was away. */
    static final long AWAY_NANOS = 100_000;

    private long waitStart;
    private int piece = PIECE;

    /** This side found nothing to copy and waits (called on every round of the wait). */
    void waiting() {
        if (waitStart == 0) {
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
}
