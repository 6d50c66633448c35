package org.multiprocessing4j.sync;

import org.multiprocessing4j.internal.sync.Kinds;

/**
 * A mutual-exclusion lock shared by threads of any number of processes (Python's {@code multiprocessing.Lock}),
 * with {@link java.util.concurrent.locks.Lock}'s methods. Not reentrant: a thread that holds it and locks it again
 * waits for ever. As in Python, any thread of any process may {@link #unlock()} a held lock, so one process can
 * lock and another release (a hand-off).
 *
 * <pre>{@code
 * ProcessLock lock = new ProcessLock();
 * new ChildProcess(() -> { lock.lock(); try { ... } finally { lock.unlock(); } }).start();
 * }</pre>
 * A child's target may capture the lock: it travels as the name of its shared-memory segment and is attached in
 * the child. The lock lives while its creating process lives and, after that, while any process still uses it.
 *
 * <h2>Cross-process visibility</h2>
 * Actions of a thread before {@code unlock()} happen-before actions of the thread (of any process) whose
 * {@code lock()} then succeeds, for memory shared between those processes (shared values, {@code SharedMemory})
 * as for the JVM heap within one process: the lock word is changed with volatile atomic operations on the
 * mapping.
 *
 * <h2>If a participating process dies</h2>
 * The lock is robust: if its holder's process dies (even by {@code kill -9}), the next thread that waits for it
 * (within some tens of milliseconds) or calls {@code tryLock()} takes it over, and {@link #previousOwnerDied()}
 * tells that thread so until it unlocks. A waiter that dies simply stops waiting.
 *
 * <h2>Fairness</h2>
 * None: a thread that arrives may take the lock ahead of one that has waited (barging), and a woken waiter is not
 * necessarily the longest waiting. Waiters spin briefly, then park at no CPU cost; an unlock wakes a parked waiter
 * through its process's doorbell socket.
 */
public class ProcessLock extends AbstractProcessLock {
    private static final long serialVersionUID = 1L;

    /** Makes an unlocked lock in a new shared-memory segment. */
    public ProcessLock() {
        super(Kinds.LOCK, false);
    }

    /**
     * Releases the lock, whoever holds it.
     *
     * @throws IllegalMonitorStateException if the lock is not held (Python's "release unlocked lock")
     */
    @Override
    public void unlock() {
        mutex().unlock();
    }
}
