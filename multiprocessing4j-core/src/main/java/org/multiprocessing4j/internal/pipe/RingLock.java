package org.multiprocessing4j.internal.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * The lock of one side (readers or writers) of a {@link ShmRing}, across threads and processes: a
 * {@link ReentrantLock} orders this process's threads, then a lock word in the segment, holding the pid of the
 * process that has it, orders the processes.
 *
 * <pre>
 * Overview.
 *  lock:    local lock (interruptible), then CAS the word 0 -> pid; a process that finds it taken waits in the
 *           lock's WaitQueue (a holder may keep it a long time: a reader holds it while it waits for a message).
 *  unlock:  word -> 0 (volatile), the local lock, then wake the queue.
 *  A dead holder: every liveness check (20 ms, later 250 ms) of a waiter looks at the holder's pid; a dead one's
 *  word is taken over. If its mid-message flag was set, the stream is out of step: the ring is marked broken.
 * </pre>
 */
final class RingLock {
    private final Segment seg;
    private final int word;
    private final int midFlag;
    private final Runnable markBroken;
    private final ReentrantLock local = new ReentrantLock();
    private final WaitQueue queue;

    /**
     * @param seg the pipe's segment
     * @param word offset of the lock word
     * @param midFlag offset of the side's mid-message flag
     * @param queue offset of the queue of waiters for this lock
     * @param markBroken marks the ring broken
     */
    RingLock(Segment seg, int word, int midFlag, int queue, Runnable markBroken) {
        this.seg = seg;
        this.word = word;
        this.midFlag = midFlag;
        this.queue = new WaitQueue(seg, queue, false);
        this.markBroken = markBroken;
    }

    /**
     * Takes the lock.
     *
     * @param check throws if the ring is broken or the caller's copy closed; called on every round of waiting
     * @throws InterruptedIOException if interrupted while waiting (the status stays set)
     * @throws IOException what {@code check} throws
     */
    void lock(IoCheck check) throws IOException {
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a pipe; the pipe stays open and the "
                    + "thread's interrupt status stays set");
        }
        try {
            long self = ProcessIdentity.selfPid();
            Waiter w = null;
            for (;;) {
                check.run();
                long owner = seg.getLongVolatile(word);
                if (owner == 0 && seg.compareAndSetLong(word, 0, self)) {
                    return;
                }
                if (w == null) {
                    w = new Waiter(queue, () -> seg.getLongVolatile(word) == 0);
                }
                if (w.idle(true, Long.MAX_VALUE) && owner != 0 && !ProcessIdentity.isAlive(owner, 0)
                        && seg.compareAndSetLong(word, owner, 0)) {
                    if (seg.getIntVolatile(midFlag) != 0) {
                        markBroken.run();
                    }
                    queue.wakeAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** Releases the lock. */
    void unlock() {
        seg.setLongVolatile(word, 0);
        local.unlock();
        queue.wakeAll();
    }

    /** Wakes every waiter for this lock, to re-check (the ring broke, a copy was closed). */
    void wakeAll() {
        queue.wakeAll();
    }

    /** A check that may throw an IOException. */
    interface IoCheck {
        /** @throws IOException if the wait must end */
        void run() throws IOException;
    }

    /** @return a check that nothing is wrong: not broken, not closed */
    static IoCheck of(BooleanSupplier broken, BooleanSupplier closed) {
        return () -> {
            if (broken.getAsBoolean()) {
                throw new IOException("the pipe is broken: a process ended in the middle of a message on it");
            }
            if (closed.getAsBoolean()) {
                throw new IOException("connection is closed (by this process)");
            }
        };
    }
}
