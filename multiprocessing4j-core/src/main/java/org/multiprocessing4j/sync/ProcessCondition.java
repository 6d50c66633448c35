package org.multiprocessing4j.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.ConditionQueue;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A condition variable shared by threads of any number of processes (Python's {@code multiprocessing.Condition}),
 * a {@link Condition} bound to a {@link ProcessLock} or {@link ProcessReentrantLock}. The caller of
 * {@code await…}, {@code signal} and {@code signalAll} must hold the lock ({@link IllegalMonitorStateException}
 * otherwise); {@code await} releases it entirely while waiting and holds it again, with the same hold count, when
 * it returns or throws. {@link #awaitUntil(BooleanSupplier, Duration)} is Python's {@code wait_for}. As with every
 * condition, spurious wake-ups are allowed: wait in a loop on the state the lock guards.
 *
 * <h2>Cross-process visibility</h2>
 * Through the lock: actions of a signalling thread before it releases the lock happen-before the awakened
 * thread's actions after it holds the lock again.
 *
 * <h2>If a participating process dies</h2>
 * A waiter whose process dies is dropped: a later {@code signal()} that finds its process gone goes to another
 * waiter. A signal that had already reached a waiter whose process then dies (before it returned from
 * {@code await}) dies with it, as if it had returned and died. The lock passes on as described in
 * {@link ProcessLock}. No signal is lost to a waiter that times out or is interrupted at the moment it is
 * signalled: that waiter returns normally (as signalled), with its interrupt status set if interrupted.
 *
 * <h2>Fairness</h2>
 * {@code signal()} wakes one waiter, not necessarily the longest waiting.
 */
public class ProcessCondition implements Condition, Serializable {
    private static final long serialVersionUID = 1L;

    private final AbstractProcessLock lock;
    private final String segmentName;
    private transient ConditionQueue queue;

    /** Makes a condition with a new {@link ProcessReentrantLock} of its own (Python's {@code Condition()}). */
    public ProcessCondition() {
        this(new ProcessReentrantLock());
    }

    /**
     * Makes a condition bound to {@code lock}.
     *
     * @param lock a {@link ProcessLock} or {@link ProcessReentrantLock}
     * @throws IllegalArgumentException if the lock is of another kind (it must work across processes)
     */
    public ProcessCondition(Lock lock) {
        Objects.requireNonNull(lock, "lock");
        if (!(lock instanceof AbstractProcessLock)) {
            throw new IllegalArgumentException("a ProcessCondition needs a ProcessLock or ProcessReentrantLock: lock="
                    + lock.getClass().getName());
        }
        this.lock = (AbstractProcessLock) lock;
        Segment segment = Segments.createShared(ConditionQueue.BYTES, Kinds.CONDITION);
        this.segmentName = segment.name();
        this.queue = new ConditionQueue(segment, 0);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        queue = new ConditionQueue(Segments.attachShared(segmentName, Kinds.CONDITION, ConditionQueue.BYTES), 0);
    }

    /** @return the lock this condition is bound to */
    public Lock lock() {
        return lock;
    }

    /**
     * Waits until signalled or interrupted.
     *
     * @throws InterruptedException if interrupted before a signal; the lock is held again
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void await() throws InterruptedException {
        queue.await(lock.mutex(), Deadline.NONE, true);
    }

    /**
     * Waits until signalled; an interrupt does not end the wait and stays set.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void awaitUninterruptibly() {
        try {
            queue.await(lock.mutex(), Deadline.NONE, false);
        } catch (InterruptedException e) {
            throw new IllegalStateException("not interruptible", e);
        }
    }

    /**
     * Waits until signalled, interrupted or the time-out has passed.
     *
     * @param nanosTimeout the longest wait in nanoseconds
     * @return an estimate of the nanoseconds left; 0 or less if the time-out passed
     * @throws InterruptedException if interrupted before a signal
     */
    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadline.after(nanosTimeout, TimeUnit.NANOSECONDS);
        boolean signalled = queue.await(lock.mutex(), deadline, true);
        long left = Deadline.remaining(deadline, System.nanoTime());
        return signalled ? Math.max(left, 1) : Math.min(left, 0);
    }

    /**
     * Waits until signalled, interrupted or the time-out has passed.
     *
     * @param time the longest wait
     * @param unit its unit
     * @return {@code false} if the time-out passed before a signal
     * @throws InterruptedException if interrupted before a signal
     */
    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return queue.await(lock.mutex(), Deadline.after(time, unit), true);
    }

    /**
     * Waits until signalled, interrupted or the deadline has passed.
     *
     * @param deadline wall-clock deadline
     * @return {@code false} if the deadline passed before a signal
     * @throws InterruptedException if interrupted before a signal
     */
    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return await(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until {@code predicate} is true (Python's {@code wait_for}): evaluates it, holding the lock, before
     * each wait and after each wake-up.
     *
     * @param predicate the state to wait for, evaluated with the lock held
     * @param timeout the longest wait
     * @return the predicate's last value ({@code false}: the time-out passed first)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(predicate, "predicate");
        long deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = Deadline.remaining(deadline, System.nanoTime());
            if (left <= 0) {
                break;
            }
            queue.await(lock.mutex(), deadline, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Wakes one waiting thread, of any process.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void signal() {
        checkHeld();
        queue.signal();
    }

    /**
     * Wakes every waiting thread, of every process.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void signalAll() {
        checkHeld();
        queue.signalAll();
    }

    private void checkHeld() {
        if (!lock.mutex().isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("signal without holding the condition's lock: lock=" + lock);
        }
    }

    @Override
    public String toString() {
        return "ProcessCondition[lock=" + lock + " segment=" + segmentName + "]";
    }
}
