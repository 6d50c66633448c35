package org.multiprocessing4j.sync;

import org.multiprocessing4j.internal.sync.Kinds;

/**
 * A reentrant mutual-exclusion lock shared by threads of any number of processes (Python's
 * {@code multiprocessing.RLock}), with {@link java.util.concurrent.locks.ReentrantLock}'s meaning: the holder may
 * lock again, and must unlock as many times; only the holder may unlock. This is also the lock of the shared
 * values ({@code SharedInt.lock()} and friends).
 *
 * <h2>Cross-process visibility</h2>
 * As {@link ProcessLock}: actions before the final {@code unlock()} happen-before actions after a later
 * successful {@code lock()} in any process.
 *
 * <h2>If a participating process dies</h2>
 * As {@link ProcessLock}: the next acquirer takes the lock from a dead holder with a hold count of one and
 * {@link #previousOwnerDied()} true.
 *
 * <h2>Fairness</h2>
 * None (barging), as {@link ProcessLock}.
 */
public class ProcessReentrantLock extends AbstractProcessLock {
    private static final long serialVersionUID = 1L;

    /** Makes an unlocked lock in a new shared-memory segment. */
    public ProcessReentrantLock() {
        super(Kinds.REENTRANT_LOCK, true);
    }

    /**
     * Decrements the hold count, releasing the lock when it reaches zero.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void unlock() {
        mutex().unlock();
    }

    /** @return how many times the current thread holds the lock (0 if it does not) */
    public int getHoldCount() {
        return mutex().holdCount();
    }
}
