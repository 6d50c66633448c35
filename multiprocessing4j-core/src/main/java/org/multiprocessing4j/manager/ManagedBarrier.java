package org.multiprocessing4j.manager;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier held by a manager: Python's {@code Manager().Barrier(n)}, with the methods (and meaning) of
 * {@link org.multiprocessing4j.sync.ProcessBarrier} and {@link java.util.concurrent.CyclicBarrier}.
 */
public interface ManagedBarrier {
    /**
     * @return the arrival index ({@code parties() - 1} for the first to arrive, 0 for the last)
     * @throws InterruptedException if interrupted while waiting
     * @throws BrokenBarrierException if the barrier is or becomes broken
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * @param timeout how long to wait
     * @param unit its unit
     * @return the arrival index
     * @throws InterruptedException if interrupted while waiting
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws TimeoutException on time-out (the barrier is then broken)
     */
    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** Breaks the barrier for the current waiters and starts a new generation. */
    void reset();

    /** @return how many parties must arrive */
    int parties();

    /** @return how many wait now */
    int numberWaiting();

    /** @return whether the barrier is broken */
    boolean isBroken();
}
