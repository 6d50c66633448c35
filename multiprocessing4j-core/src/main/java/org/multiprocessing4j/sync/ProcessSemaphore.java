package org.multiprocessing4j.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.CountingSemaphore;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A counting semaphore shared by threads of any number of processes (Python's {@code multiprocessing.Semaphore}),
 * with {@link java.util.concurrent.Semaphore}'s method names. Permits have no owner: any thread of any process may
 * release, also one that never acquired.
 *
 * <h2>Cross-process visibility</h2>
 * Actions before {@code release()} happen-before actions after an {@code acquire()} that that release let succeed,
 * in any process.
 *
 * <h2>If a participating process dies</h2>
 * The permits it had acquired are not returned: a semaphore cannot tell a permit held for a resource from one
 * handed on as a signal (a producer that releases, a consumer that acquires), so, as in Python and POSIX, they are
 * gone with the process; {@link #availablePermits()} shows the count as it stands. A waiter that dies stops waiting
 * and a permit released meanwhile goes to another waiter.
 *
 * <h2>Fairness</h2>
 * None: an arriving thread may take a permit ahead of one that waits, and a release wakes some waiter, not the
 * longest waiting.
 */
public class ProcessSemaphore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private transient CountingSemaphore semaphore;

    /**
     * Makes a semaphore with {@code permits} permits.
     *
     * @param permits the start value, 0 or more
     * @throws IllegalArgumentException if negative
     */
    public ProcessSemaphore(int permits) {
        this(permits, false);
    }

    ProcessSemaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore permits must be 0 or more: permits=" + permits);
        }
        Segment segment = Segments.createShared(CountingSemaphore.BYTES, Kinds.SEMAPHORE);
        this.segmentName = segment.name();
        this.semaphore = new CountingSemaphore(segment, 0);
        semaphore.initialize(permits, bounded);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        semaphore = new CountingSemaphore(Segments.attachShared(segmentName, Kinds.SEMAPHORE,
                CountingSemaphore.BYTES), 0);
    }

    /**
     * Takes a permit, waiting until one is available.
     *
     * @throws InterruptedException if interrupted on entry or while waiting (no permit taken)
     */
    public void acquire() throws InterruptedException {
        semaphore.acquire(1, Deadline.NONE, true);
    }

    /**
     * Takes {@code permits} permits at once, waiting until they are available.
     *
     * @param permits how many, 0 or more
     * @throws InterruptedException if interrupted on entry or while waiting (none taken)
     * @throws IllegalArgumentException if negative
     */
    public void acquire(int permits) throws InterruptedException {
        semaphore.acquire(checkPermits(permits), Deadline.NONE, true);
    }

    /** Takes a permit, waiting until one is available; an interrupt does not end the wait and stays set. */
    public void acquireUninterruptibly() {
        try {
            semaphore.acquire(1, Deadline.NONE, false);
        } catch (InterruptedException e) {
            throw new IllegalStateException("not interruptible", e);
        }
    }

    /** @return whether a permit was taken without waiting */
    public boolean tryAcquire() {
        return semaphore.tryAcquire(1);
    }

    /**
     * @param permits how many, 0 or more
     * @return whether they were taken without waiting
     */
    public boolean tryAcquire(int permits) {
        return semaphore.tryAcquire(checkPermits(permits));
    }

    /**
     * Takes a permit if one becomes available within the time-out.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return semaphore.acquire(1, Deadline.after(timeout, Objects.requireNonNull(unit, "unit")), true);
    }

    /**
     * Takes {@code permits} permits if they become available within the time-out.
     *
     * @param permits how many, 0 or more
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether they were taken
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
        return semaphore.acquire(checkPermits(permits), Deadline.after(timeout, unit), true);
    }

    /** Returns a permit, waking a waiter. */
    public void release() {
        semaphore.release(1);
    }

    /**
     * Returns {@code permits} permits.
     *
     * @param permits how many, 0 or more
     * @throws IllegalArgumentException if negative
     */
    public void release(int permits) {
        semaphore.release(checkPermits(permits));
    }

    /** @return the permits available now */
    public int availablePermits() {
        return semaphore.available();
    }

    /** @return the permits taken: all that were available */
    public int drainPermits() {
        return semaphore.drain();
    }

    private static int checkPermits(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be 0 or more: permits=" + permits);
        }
        return permits;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[permits=" + availablePermits() + " segment=" + segmentName + "]";
    }
}
