package org.multiprocessing4j.internal.manager.served;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.manager.ManagedBarrier;

/** The server's object behind {@code Manager.barrier(n)}: a {@link CyclicBarrier}. */
public final class ServedBarrier implements ManagedBarrier {
    private final CyclicBarrier barrier;

    /** @param parties how many must arrive */
    public ServedBarrier(int parties) {
        this.barrier = new CyclicBarrier(parties);
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        return barrier.await();
    }

    @Override
    public int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        return barrier.await(timeout, unit);
    }

    @Override
    public void reset() {
        barrier.reset();
    }

    @Override
    public int parties() {
        return barrier.getParties();
    }

    @Override
    public int numberWaiting() {
        return barrier.getNumberWaiting();
    }

    @Override
    public boolean isBroken() {
        return barrier.isBroken();
    }
}
