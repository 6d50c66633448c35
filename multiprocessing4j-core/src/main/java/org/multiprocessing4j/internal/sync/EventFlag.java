package org.multiprocessing4j.internal.sync;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * A flag that threads of any process wait for.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES): +0 int flag (0/1), +8 WaitQueue.
 * set: flag = 1 (volatile), then wake every announced waiter. await: check, announce, re-check, park.
 * </pre>
 */
public final class EventFlag {
    /** Bytes an event takes in a segment. */
    public static final int BYTES = 8 + WaitQueue.BYTES;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(200);

    private final Segment segment;
    private final int flag;
    private final WaitQueue queue;

    /**
     * @param segment the segment
     * @param offset the start (8-byte aligned)
     */
    public EventFlag(Segment segment, int offset) {
        this.segment = segment;
        this.flag = offset;
        this.queue = new WaitQueue(segment, offset + 8);
    }

    /** @return whether set */
    public boolean isSet() {
        return segment.getIntVolatile(flag) != 0;
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        segment.setIntVolatile(flag, 1);
        queue.wakeAll();
    }

    /** Clears the flag. */
    public void clear() {
        segment.setIntVolatile(flag, 0);
    }

    /**
     * Waits until set or the deadline.
     *
     * @param deadline {@link System#nanoTime()} deadline or {@link Long#MAX_VALUE}
     * @return whether set
     * @throws InterruptedException if interrupted (on entry too)
     */
    public boolean await(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        while (true) {
            if (isSet()) {
                return true;
            }
            int slot = queue.enter();
            if (isSet()) {
                queue.leave(slot);
                return true;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, true, POLL);
            queue.leave(slot);
            if (w == WaitQueue.Wake.INTERRUPTED) {
                throw new InterruptedException();
            }
            if (w == WaitQueue.Wake.TIMED_OUT) {
                return isSet();
            }
        }
    }
}
