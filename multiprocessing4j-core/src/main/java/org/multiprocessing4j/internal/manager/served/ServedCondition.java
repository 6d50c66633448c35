package org.multiprocessing4j.internal.manager.served;

import java.util.ArrayDeque;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The server's condition of a {@link ServedLock}, behind {@code Manager.condition()} and {@code newCondition()}.
 *
 * <pre>
 * Overview: each waiter puts a ticket in a FIFO queue, releases the lock fully, and waits on the ticket's monitor
 * until signal() (the first ticket) or signalAll() (every ticket) marks it, or its time runs out; then it takes
 * the lock back with its hold count. A waiter must hold the lock (IllegalMonitorStateException otherwise).
 * </pre>
 */
public final class ServedCondition implements Condition, Lock, org.multiprocessing4j.manager.ManagedCondition {
    private final ServedLock lock;
    private final ArrayDeque<boolean[]> tickets = new ArrayDeque<>();

    /** A condition with its own reentrant lock. */
    public ServedCondition() {
        this(new ServedLock(true));
    }

    ServedCondition(ServedLock lock) {
        this.lock = lock;
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE);
    }

    @Override
    public void awaitUninterruptibly() {
        Uninterruptibly.run(this::await);
    }

    @Override
    public long awaitNanos(long nanos) throws InterruptedException {
        if (!lock.heldByCaller()) {
            throw new IllegalMonitorStateException("await without holding the condition's lock");
        }
        boolean[] ticket = new boolean[1];
        synchronized (tickets) {
            tickets.add(ticket);
        }
        int saved = lock.releaseAll();
        long deadline = System.nanoTime() + nanos;
        try {
            synchronized (ticket) {
                while (!ticket[0]) {
                    long left = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(ticket, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                }
            }
        } finally {
            synchronized (tickets) {
                tickets.remove(ticket);
            }
            lock.reacquire(saved);
        }
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return await(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void signal() {
        wake(false);
    }

    @Override
    public void signalAll() {
        wake(true);
    }

    private void wake(boolean all) {
        if (!lock.heldByCaller()) {
            throw new IllegalMonitorStateException("signal without holding the condition's lock");
        }
        synchronized (tickets) {
            while (!tickets.isEmpty()) {
                boolean[] t = tickets.poll();
                synchronized (t) {
                    t[0] = true;
                    t.notifyAll();
                }
                if (!all) {
                    break;
                }
            }
        }
    }

    @Override
    public void lock() {
        lock.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        lock.lockInterruptibly();
    }

    @Override
    public boolean tryLock() {
        return lock.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return lock.tryLock(time, unit);
    }

    @Override
    public void unlock() {
        lock.unlock();
    }

    @Override
    public Condition newCondition() {
        return new ServedCondition(lock);
    }

    /** @return the lock, for the release of an ended session */
    public ServedLock lockOf() {
        return lock;
    }
}
