package org.multiprocessing4j.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.EventFlag;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A flag that threads of any number of processes can wait for (Python's {@code multiprocessing.Event}):
 * {@link #set()} wakes every waiter, and waits return at once while it stays set; {@link #clear()} resets it.
 *
 * <h2>Cross-process visibility</h2>
 * Actions before {@code set()} happen-before actions after an {@code await} that returns because of it (or an
 * {@code isSet()} that sees it), in any process.
 *
 * <h2>If a participating process dies</h2>
 * Nothing changes for the others: the flag keeps its value, and a waiter that dies stops waiting.
 *
 * <h2>Fairness</h2>
 * Not applicable: {@code set()} wakes all waiters.
 */
public class ProcessEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private transient EventFlag flag;

    /** Makes an event that is not set. */
    public ProcessEvent() {
        Segment segment = Segments.createShared(EventFlag.BYTES, Kinds.EVENT);
        this.segmentName = segment.name();
        this.flag = new EventFlag(segment, 0);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        flag = new EventFlag(Segments.attachShared(segmentName, Kinds.EVENT, EventFlag.BYTES), 0);
    }

    /** Sets the flag and wakes every waiting thread of every process. */
    public void set() {
        flag.set();
    }

    /** Clears the flag. */
    public void clear() {
        flag.clear();
    }

    /** @return whether the flag is set */
    public boolean isSet() {
        return flag.isSet();
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public void await() throws InterruptedException {
        flag.await(Deadline.NONE);
    }

    /**
     * Waits until the flag is set or the time-out has passed.
     *
     * @param timeout the longest wait
     * @return whether the flag is set (Python's {@code wait(timeout)} result)
     * @throws InterruptedException if interrupted on entry or while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return flag.await(Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public String toString() {
        return "ProcessEvent[" + (isSet() ? "set" : "unset") + " segment=" + segmentName + "]";
    }
}
