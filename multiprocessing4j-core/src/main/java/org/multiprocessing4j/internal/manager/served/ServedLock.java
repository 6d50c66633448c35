package org.multiprocessing4j.internal.manager.served;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The server's lock behind {@code Manager.lock()} (not reentrant; any caller may unlock it, as Python's
 * {@code Lock}) and {@code Manager.rlock()} (reentrant; only the holder may unlock). The holder is a
 * {@link Caller}: a client thread of a client process, whichever server thread runs its calls.
 *
 * <pre>
 * Overview: one monitor (this) guards holder/holds; waiters wait() on it and every release notifyAll()s.
 * State:    holder == null  free       holds == 0
 *           holder == c     held by c  holds >= 1 (only the reentrant kind goes past 1)
 * A session that ends ({@link #releaseSession}) loses what its threads held, so a client that disappears never
 * leaves the lock held.
 * </pre>
 */
public final class ServedLock implements Lock {
    private final boolean reentrant;
    private Caller holder;
    private int holds;

    /** @param reentrant whether the holder may lock again, and only it may unlock */
    public ServedLock(boolean reentrant) {
        this.reentrant = reentrant;
    }

    @Override
    public synchronized void lock() {
        Uninterruptibly.run(this::lockInterruptibly);
    }

    @Override
    public synchronized void lockInterruptibly() throws InterruptedException {
        tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized boolean tryLock() {
        Caller me = Caller.current();
        if (holder == null) {
            holder = me;
            holds = 1;
            return true;
        }
        if (reentrant && holder.equals(me)) {
            holds++;
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, unit.toNanos(time));
        while (!tryLock()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        }
        return true;
    }

    @Override
    public synchronized void unlock() {
        Caller me = Caller.current();
        if (holder == null || (reentrant && !holder.equals(me))) {
            throw new IllegalMonitorStateException(holder == null ? "unlock of a lock that is not held"
                    : "unlock by a thread that does not hold the lock: holderSession=" + holder.session()
                            + " holderThread=" + holder.thread() + " callerSession=" + me.session()
                            + " callerThread=" + me.thread());
        }
        if (--holds == 0 || !reentrant) {
            holder = null;
            holds = 0;
            notifyAll();
        }
    }

    /** @return a condition bound to this lock */
    @Override
    public Condition newCondition() {
        return new ServedCondition(this);
    }

    /** Releases whatever the threads of an ended session held. @param session the session's id */
    public synchronized void releaseSession(long session) {
        if (holder != null && holder.session() == session) {
            holder = null;
            holds = 0;
            notifyAll();
        }
    }

    synchronized boolean heldByCaller() {
        return holder != null && holder.equals(Caller.current());
    }

    /** Releases fully for a condition wait. @return the hold count to restore */
    synchronized int releaseAll() {
        int saved = holds;
        holder = null;
        holds = 0;
        notifyAll();
        return saved;
    }

    /** Takes the lock back after a condition wait. @param saved the hold count */
    synchronized void reacquire(int saved) {
        lock();
        holds = saved;
    }

    @Override
    public synchronized String toString() {
        return "ServedLock[reentrant=" + reentrant + " held=" + (holder != null) + "]";
    }
}
