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
 *  So each side of a connection keeps to one of two modes, by what its last waits showed (the state is the
 *  connection's, not the thread's: a connection is used by one thread at a time, its peer is one thread):
 *  - yielding (the start, and whenever the peer seems to share the core): spin SPIN_NANOS (0), then Thread.yield()
 *    until YIELD_NANOS (sched_yield hands the core to a runnable peer at once, and returns in ~0.5 us when nothing
 *    else is runnable), then return: the pipe's recv takes over and parks, so an idle connection costs no CPU
 *    after YIELD_NANOS. After PROBE_ROUNDS waits it tries the other mode once; each try that fails doubles the
 *    number of waits before the next, up to MAX_PROBE_ROUNDS, and a try that succeeds resets it. A failed try
 *    costs a whole LONG_SPIN_NANOS (the peer cannot answer before this thread yields): with a try every 64
 *    waits on both sides, a co-located pair paid ~35 us in ~3 % of its round trips, ~15 % of manager_dict's
 *    summed time (~620 of 20,000 calls in the 30-100 us bin, in every run at load 8-10).
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
    /** How many round trips in the yielding mode before the long spin is tried again, at first. */
    static final int PROBE_ROUNDS = 64;
    /** The most round trips between two tries of the long spin (each failed try doubles the interval). */
    static final int MAX_PROBE_ROUNDS = 1024;

    /** Waits in the yielding mode since the last try of the long spin. */
    private int rounds;
    /** Waits in the yielding mode before the next try. */
    private int interval = PROBE_ROUNDS;
    private boolean spinning;
    /** The spinning mode was entered for a try and has not yet been answered within the spin. */
    private boolean probing;

    /**
     * A wait of one connection's side (a connection is used by one thread at a time, and its peer is one thread
     * too: the mode is the pair's).
     */
    ReplySpin() {
    }

    /**
     * Waits at most {@link #YIELD_NANOS} for a message to arrive on {@code c}; returns earlier when one has.
     *
     * @param c the connection the next message comes from
     */
    void await(Connection c) {
        if (!(c instanceof PipeEnd p) || p.hasData()) {
            return;
        }
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
        record(waited >= spin);
    }

    /** @return whether the next wait spins {@link #LONG_SPIN_NANOS} before it yields */
    boolean spinning() {
        return spinning;
    }

    /**
     * Chooses the next wait's mode from how this one went.
     *
     * @param outlastedSpin whether the answer came only after the wait's spin was over (in the yielding mode,
     *     whose spin is 0, always)
     */
    void record(boolean outlastedSpin) {
        if (!spinning) {
            if (++rounds >= interval) {
                spinning = true;
                probing = true;
            }
        } else if (outlastedSpin) {
            // the answer came only once this thread let go of its core: the peer shares it. A try that failed
            // waits twice as long for the next (each costs a whole spin); a spinning run that ended tries soon.
            interval = probing ? Math.min(interval * 2, MAX_PROBE_ROUNDS) : PROBE_ROUNDS;
            spinning = false;
            probing = false;
            rounds = 0;
        } else {
            probing = false;
            interval = PROBE_ROUNDS;
        }
    }
}
