package org.multiprocessing4j.internal.manager;

import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.pipe.PipeEnd;

/**
 * The manager's own short wait for the next message of a round trip over a shared-memory pipe, before the pipe's
 * {@code recv…} waits its own way: spin briefly, then yield, then leave the rest to the pipe (which spins, yields
 * and parks). Both the client waiting for its reply and the server waiting for the next request use it.
 *
 * <pre>
 * Overview: why a wait of the manager's own
 *  A manager call is a ping-pong: each side waits for the other for a few microseconds. On two cores shared with
 *  JIT threads, GC, a ready JVM being launched and other programs, the client and the server often share ONE
 *  core; the side that waits then holds the core the other side needs. Traced with timestamps in both JVMs
 *  (manager_dict, load 4-5), a slow call paid ~200 us at each end: the pipe's Waiter spins 200 us before its first
 *  yield, and only that yield let the peer run (set_rtt p90 of ~400 us, a mean ten times the median).
 *  So: spin SPIN_NANOS (a reply from a peer running on the other core arrives within about that), then
 *  Thread.yield() until YIELD_NANOS (sched_yield hands the core to a runnable peer at once, and returns in ~1 us
 *  when nothing else is runnable), then return: the pipe's recv takes over and parks, so an idle connection
 *  costs no CPU after YIELD_NANOS. Measured at load 5-9 (Dist probe, 3 x 10,000 sets and gets from a child), a
 *  round trip of a co-located pair costs about two hand-overs plus twice the spin: spin 200 us (the pipe's alone)
 *  ~405 us, 50 us ~105 us, 10 us ~25 us, 3 us ~11 us, 0 ~6 us; on separate cores the spin is rarely used up.
 *  Only pipe ends are watched ({@link PipeEnd#hasData()}: two volatile reads); a socket returns at once.
 * </pre>
 */
final class ReplySpin {
    static final long SPIN_NANOS = 2_000;
    static final long YIELD_NANOS = 2_000_000;

    private ReplySpin() {
    }

    /**
     * Waits at most {@link #YIELD_NANOS} for a message to arrive on {@code c}; returns earlier when one has.
     *
     * @param c the connection the next message comes from
     */
    static void await(Connection c) {
        if (!(c instanceof PipeEnd p) || p.hasData()) {
            return;
        }
        long start = System.nanoTime();
        long waited;
        do {
            waited = System.nanoTime() - start;
            if (waited < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        } while (!p.hasData() && waited < YIELD_NANOS);
    }
}
