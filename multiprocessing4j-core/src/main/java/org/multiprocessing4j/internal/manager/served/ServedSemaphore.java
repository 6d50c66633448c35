package org.multiprocessing4j.internal.manager.served;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.manager.ManagedSemaphore;

/** The server's object behind {@code Manager.semaphore(n)}: a fair {@link Semaphore}. */
public final class ServedSemaphore implements ManagedSemaphore {
    private final Semaphore semaphore;

    /** @param permits the initial permits */
    public ServedSemaphore(int permits) {
        this.semaphore = new Semaphore(permits, true);
    }

    @Override
    public void acquire() throws InterruptedException {
        semaphore.acquire();
    }

    @Override
    public void acquire(int permits) throws InterruptedException {
        semaphore.acquire(permits);
    }

    @Override
    public boolean tryAcquire() {
        return semaphore.tryAcquire();
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return semaphore.tryAcquire(timeout, unit);
    }

    @Override
    public void release() {
        semaphore.release();
    }

    @Override
    public void release(int permits) {
        semaphore.release(permits);
    }

    @Override
    public int availablePermits() {
        return semaphore.availablePermits();
    }
}
