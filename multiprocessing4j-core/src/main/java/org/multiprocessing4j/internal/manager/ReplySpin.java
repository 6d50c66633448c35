package org.multiprocessing4j.internal.manager;

import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.pipe.PipeEnd;

/**
 * The manager's own short wait for the next message of a round trip over a shared-memory pipe, before the pipe's
 * {@code recv…} waits its own way: spin (while the peer answers from another core) or yield at once (while it
 * seems to share this one), then leave the rest to the pipe (which spins, yields and parks). Both the client waiting for its reply and the server waiting for the next request use it.
 *
 * <pre>
 * Overview: why a wait of the manager's own
 *  A manager call is a ping-pong: each side waits for the other for a few microseconds. On two cores shared with
 *  JIT threads, GC, a ready JVM being launched and other programs, the client and the server often share ONE
 *  core; the side that waits then holds the core the other side needs. Traced with timestamps in both JVMs
 *  (manager_dict, load 4-5), a slow call paid ~200 us at each end: the pipe's Waiter spins 200 us before its first
 *  yield, and only that yield let the peer run (set_rtt p90 of ~400 us, a mean ten times the median).
 *  So each thread keeps to one of two modes, by what its last waits showed:
 *  - yielding (the start, and whenever the peer seems to share the core): spin SPIN_NANOS (0), then Thread.yield()
 *    until YIELD_NANOS (sched_yield hands the core to a runnable peer at once, and returns in ~0.5 us when nothing
 *    else is runnable), then return: the pipe's recv takes over and parks, so an idle connection costs no CPU
 *    after YIELD_NANOS. Every PROBE_ROUNDS waits it tries the other mode once.
 *  - spinning: spin LONG_SPIN_NANOS before yielding, which a peer on another core answers well within (pipe round
 *    trip ~0.4 us); a wait that outlasts the spin (the answer came only once this thread yielded) sends the
 *    thread back to yielding.
 *  Measured at load 5-9 (Dist probe, 3 x 10,000 sets and gets from a child), a round trip of a co-located pair
 *  costs about two hand-overs plus twice the spin: spin 200 us (the pipe's alone) ~405 us, 50 us ~105 us, 10 us
 *  ~25 us, 3 us ~11 us, 0 ~6 us; with a fixed 2 us spin a pair sharing a core took ~8 us and a pair on two cores
 *  no less, as both were always past the spin. With the two modes (load 7-18, a co-located pair): set median
 *  5.5-5.7 us against 9.8-10.6, get 3.9-4.1 against 7.9-8.1.
 *  Only pipe ends are watched ({@link PipeEnd#hasData()}: two volatile reads); a socket returns at once.
 * </pre>
 */
final class ReplySpin {
    static final long SPIN_NANOS = 0;
    static final long LONG_SPIN_NANOS = 30_000;
    static final long YIELD_NANOS = 2_000_000;
    /** How many round trips in the yielding mode before the long spin is tried again. */
    static final int PROBE_ROUNDS = 64;
    private static final ThreadLocal<int[]> ROUNDS = ThreadLocal.withInitial(() -> new int[1]);

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
        int[] rounds = ROUNDS.get();
        boolean spinning = rounds[0] >= PROBE_ROUNDS;
        long spin = spinning ? LONG_SPIN_NANOS : SPIN_NANOS;
        long start = System.nanoTime();
        long waited;
        do {
            waited = System.nanoTime() - start;
            if (waited < spin) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        } while (!p.hasData() && waited < YIELD_NANOS);
        if (!spinning) {
            rounds[0]++;
        } else if (waited >= spin) {
            rounds[0] = 0; // the answer came only once this thread let go of its core: the peer shares it
        }
    }
}
