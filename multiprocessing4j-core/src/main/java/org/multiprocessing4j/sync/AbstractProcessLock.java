package org.multiprocessing4j.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.Deadline;

/** What {@link ProcessLock} and {@link ProcessReentrantLock} share: a {@link Mutex} in a segment of their own. */
abstract class AbstractProcessLock implements Lock, Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private final int kind;
    private final boolean reentrant;
    private transient Segment segment;
    private transient Mutex mutex;

    AbstractProcessLock(int kind, boolean reentrant) {
        this.kind = kind;
        this.reentrant = reentrant;
        this.segment = Segments.createShared(Mutex.BYTES, kind);
        this.segmentName = segment.name();
        this.mutex = new Mutex(segment, 0, reentrant);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = Segments.attachShared(segmentName, kind, Mutex.BYTES);
        mutex = new Mutex(segment, 0, reentrant);
    }

    Mutex mutex() {
        return mutex;
    }

    /** Acquires the lock, waiting as long as it takes. An interrupt does not end the wait; it stays set. */
    @Override
    public void lock() {
        mutex.lock();
    }

    /**
     * Acquires the lock unless the current thread is interrupted.
     *
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting; its interrupt
     *     status is cleared and the lock is not acquired
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        mutex.lockInterruptibly(Deadline.NONE);
    }

    /**
     * Acquires the lock if it is free now, or held by a thread of a process that has died (checked at most every
     * few tens of milliseconds).
     *
     * @return whether the lock was acquired
     */
    @Override
    public boolean tryLock() {
        return mutex.tryLock();
    }

    /**
     * Acquires the lock if it becomes free within the time-out.
     *
     * @param time the longest wait
     * @param unit its unit
     * @return whether the lock was acquired
     * @throws InterruptedException if the current thread is interrupted on entry or while waiting
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return mutex.lockInterruptibly(Deadline.after(time, unit));
    }

    /**
     * A condition bound to this lock, usable from any process (the condition travels with its lock).
     *
     * @return a new {@link ProcessCondition}
     */
    @Override
    public ProcessCondition newCondition() {
        return new ProcessCondition(this);
    }

    /**
     * Whether the thread that holds the lock took it from a holder whose process had died, so that what the lock
     * guards may be half-updated (POSIX robust mutexes' {@code EOWNERDEAD}). True from that acquisition until
     * the lock is released.
     *
     * @return whether the previous owner died holding the lock
     */
    public boolean previousOwnerDied() {
        return mutex.previousOwnerDied();
    }

    /** @return whether some thread of some process holds the lock (a snapshot) */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /** @return whether the current thread holds the lock */
    public boolean isHeldByCurrentThread() {
        return mutex.isHeldByCurrentThread();
    }

    /** @return the name of the shared-memory segment that holds the lock */
    String segmentName() {
        return segmentName;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (mutex.isLocked() ? "locked" : "unlocked") + " segment="
                + segmentName + "]";
    }
}
