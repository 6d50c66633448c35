package org.multiprocessing4j.internal.queue;

import org.multiprocessing4j.internal.memory.MappedBytes;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Mutex;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * What both sides of an {@link ItemRing} hold in this process ({@link PutSide}, {@link TakeSide}): the queue's
 * segment and ring, its sizes, the consumers' wait queue (producers wake it, consumers wait on it), the spill chain
 * and this process's copies of the words; and how a side takes its lock. Fields of the side object itself, so that
 * a put or take reads them as directly as its own.
 */
abstract class RingSide {
    final Segment seg;
    final MappedBytes data;
    final int capacity;
    final long mask;
    final int maxsize;
    final WaitQueue notEmpty;
    final SpillChain spill;
    /** This process's copies of the tail and head words (see LocalWords): the put side's tail, the take side's head. */
    final LocalWords local;

    /**
     * @param seg the queue's segment
     * @param data its data (the ring)
     * @param notEmpty where consumers wait for an item
     * @param spill the queue's spill chain
     * @param local this process's copies of the queue's words
     */
    RingSide(Segment seg, MappedBytes data, WaitQueue notEmpty, SpillChain spill, LocalWords local) {
        this.seg = seg;
        this.data = data;
        this.capacity = seg.getIntVolatile(QueueLayout.CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.maxsize = seg.getIntVolatile(QueueLayout.MAXSIZE);
        this.notEmpty = notEmpty;
        this.spill = spill;
        this.local = local;
    }

    /** Takes a side's lock: at once if {@code noWait} (only, briefly, for the lock), else by the deadline. */
    static boolean lock(Mutex m, long deadline, boolean noWait) throws InterruptedException {
        if (noWait) {
            m.lock();
            return true;
        }
        return m.lockInterruptibly(deadline);
    }
}
