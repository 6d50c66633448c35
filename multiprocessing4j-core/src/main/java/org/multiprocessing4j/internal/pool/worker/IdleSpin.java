package org.multiprocessing4j.internal.pool.worker;

/**
 * How long a worker that ran out of tasks spins on its channel before it blocks: a task that arrives during the
 * spin is caught without a wake-up (tens of microseconds here, more on a loaded machine), while a spin that
 * catches nothing burns a core that the pool's own threads may need. Not thread-safe: the worker's task loop owns
 * one.
 *
 * <pre>
 * Overview. Two patterns of work need opposite answers:
 *  - one task at a time (a caller that waits for each result: apply, submit().get()): the worker ran ONE task
 *    since its last wait, and the next arrives one round trip of the pool after its reply, a few microseconds
 *    when nobody blocks. Spinning through that gap is the whole latency; blocking costs a wake-up every time.
 *  - batches (map, a burst of submits): the worker ran SEVERAL tasks, the pool sends the next ones in batches,
 *    and one wake-up per batch is cheap; a long spin would take the CPU that the pool needs to read the replies
 *    and send the batch (2 cores: two spinning workers starve it).
 * So after a burst of several tasks, or a single task of LONG_TASK_NANOS or more, the spin is the floor (MIN).
 * After a single short task it adapts to the gaps seen:
 *   gap caught by the spin              spin = max(spin, 4 x gap), at most MAX
 *   gap missed, but shorter than MAX    spin = 2 x gap, at most MAX: a longer spin would have caught it (the gap
 *                                       measured includes our own wake-up, so it errs on the long side)
 *   gap missed, MAX or longer           spin halves, down to MIN: the caller is thinking, not waiting; every
 *                                       PROBE_EVERY such misses one PROBE spin tests whether that changed
 *   the spin lost the CPU               spin halves, down to MIN, whatever the gap: more threads want the cores
 *   (two polls > 50 us apart)           than there are, so the spin only delays whoever sends the next task;
 *                                       a woken thread is scheduled ahead of spinners there (measured at a load of
 *                                       9 on 2 cores: a spin grown to 1 ms made round trips 0.58 ms, against
 *                                       tens of microseconds for blocking)
 * The second rule is what keeps a sequential caller's round trip short on a moderately loaded machine: halving
 * on every miss (as this once did) let a few descheduled gaps drive the spin down to MIN, after which every gap
 * included a wake-up and looked long, and round trips stayed at the wake-up cost (measured at a load of 4: 7 us
 * against 45-55 us medians). But on an oversubscribed machine (a load of 13-20 on 2 cores) it would grow the spin
 * again after every halving, and a worker that spins is scheduled behind the threads that sleep: round trips of
 * 0.35-0.55 ms against ~55 us for a worker that blocks. So while spins lose the CPU more often than about one
 * wait in 9 (the contention score is positive), no rule grows the spin and a missed gap halves it, as before.
 * </pre>
 */
final class IdleSpin {
    static final long MIN_SPIN_NANOS = 20_000;
    static final long MAX_SPIN_NANOS = 1_000_000;
    static final long PROBE_SPIN_NANOS = 200_000;
    static final int PROBE_EVERY = 32;
    /**
     * A single task that ran this long is answered with the floor spin, as a batch is: a wake-up is small beside
     * it, and a worker that spun long after each of a map's big chunks took the CPU from the pool thread decoding
     * the chunk's results and sending the next (pool_map_overhead's default-chunk map, 8 chunks of 125,000 items).
     */
    static final long LONG_TASK_NANOS = 200_000;

    /**
     * Each spin that lost the CPU adds this to {@link #contention}; each wait after a single task takes 1. At 32,
     * the compiler threads of a pool's JVMs, which preempt the spin a dozen times in the first hundreds of calls
     * after a map, kept it at its floor for thousands of calls, and a sequential caller's round trips at the cost of
     * a wake-up (pool_map_overhead's apply: slow in 5 of 8 quiet runs); at 8 they recover within a few hundred
     * (slow in 1 of 8), and with 2 or 6 busy loops beside them on the 2 cores no worse than at 32.
     */
    static final int CONTENTION_PER_PREEMPTION = 8;

    private long spin = PROBE_SPIN_NANOS;
    /** Positive while spins lost the CPU recently (more often than about one wait in 9): no spin grows then. */
    private int contention;
    private int longGaps;
    private int burst;
    private long lastTaskNanos;
    private boolean single;

    /** Counts one quick task run since the last wait. */
    void ran() {
        ran(0);
    }

    /**
     * Counts one task run since the last wait.
     *
     * @param taskNanos how long it ran
     */
    void ran(long taskNanos) {
        burst++;
        lastTaskNanos = taskNanos;
    }

    /**
     * Starts a wait: the burst of tasks since the last one decides between the adaptive spin and the floor.
     *
     * @return how long to spin before blocking, in nanoseconds
     */
    long beginWait() {
        single = burst <= 1 && lastTaskNanos < LONG_TASK_NANOS;
        burst = 0;
        return single ? spin : MIN_SPIN_NANOS;
    }

    /**
     * Ends a wait begun with {@link #beginWait()}.
     *
     * @param gapNanos how long the wait took until a message arrived
     * @param preempted whether the spin lost the CPU meanwhile (the machine is oversubscribed)
     */
    void endWait(long gapNanos, boolean preempted) {
        if (!single) {
            return;
        }
        contention = preempted ? contention + CONTENTION_PER_PREEMPTION : Math.max(0, contention - 1);
        if (preempted) {
            spin = Math.max(MIN_SPIN_NANOS, spin / 2);
        } else if (gapNanos <= spin) {
            if (contention == 0) {
                spin = Math.min(MAX_SPIN_NANOS, Math.max(spin, 4 * gapNanos));
            }
        } else if (gapNanos < MAX_SPIN_NANOS && contention == 0) {
            spin = Math.min(MAX_SPIN_NANOS, 2 * gapNanos);
        } else if (gapNanos < MAX_SPIN_NANOS) {
            spin = Math.max(MIN_SPIN_NANOS, spin / 2);
        } else {
            spin = ++longGaps % PROBE_EVERY == 0 ? PROBE_SPIN_NANOS : Math.max(MIN_SPIN_NANOS, spin / 2);
        }
    }

    /** @return the spin the next wait after a single task would use, in nanoseconds */
    long spinAfterSingleTask() {
        return spin;
    }
}
