package org.multiprocessing4j.manager;

import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore held by a manager: Python's {@code Manager().Semaphore(n)}, with the methods of
 * {@link org.multiprocessing4j.sync.ProcessSemaphore} ({@link java.util.concurrent.Semaphore}'s names).
 */
public interface ManagedSemaphore {
    /** @throws InterruptedException if interrupted while waiting for a permit */
    void acquire() throws InterruptedException;

    /**
     * @param permits how many
     * @throws InterruptedException if interrupted while waiting
     */
    void acquire(int permits) throws InterruptedException;

    /** @return whether a permit was taken, without waiting */
    boolean tryAcquire();

    /**
     * @param timeout how long to wait
     * @param unit its unit
     * @return whether a permit was taken
     * @throws InterruptedException if interrupted while waiting
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /** Returns one permit. */
    void release();

    /** @param permits how many permits to return */
    void release(int permits);

    /** @return the permits available now */
    int availablePermits();
}
