package org.multiprocessing4j.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.sync.BarrierCore;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A cyclic barrier for threads of any number of processes (Python's {@code multiprocessing.Barrier}) with
 * {@link java.util.concurrent.CyclicBarrier}'s meaning: {@link #await()} waits until {@link #parties()} threads
 * have called it, then all go on and the barrier is ready for the next round (generation). The optional action
 * runs once per round, in the last thread to arrive (in whichever process that is), before the others are
 * released.
 *
 * <h2>Breakage (all or none)</h2>
 * If a waiting thread times out or is interrupted, the action throws, {@link #reset()} is called while threads
 * wait, or a participating process dies, the round is broken: every thread waiting in it, and every later
 * {@code await}, throws {@link BrokenBarrierException} until {@link #reset()}.
 *
 * <h2>Cross-process visibility</h2>
 * Actions of each party before {@code await()} happen-before the action, which happens-before the actions of every
 * party after its {@code await()} returns.
 *
 * <h2>If a participating process dies</h2>
 * A process that has used the barrier (it is attached to its segment) and dies without letting go, by
 * {@code kill -9} or a crash, breaks the round in which others wait (they notice within some tens of
 * milliseconds): a dead party never leaves the others hanging. A process that ends in order breaks nothing.
 * {@code reset()} forgets dead processes.
 *
 * <h2>Fairness</h2>
 * Not applicable: a round releases all its parties.
 */
public class ProcessBarrier implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String segmentName;
    private final SerializableRunnable action;
    private transient BarrierCore core;

    /**
     * Makes a barrier for {@code parties} threads.
     *
     * @param parties 1 or more
     * @throws IllegalArgumentException if less than 1 or more than 65535
     */
    public ProcessBarrier(int parties) {
        this(parties, null);
    }

    /**
     * Makes a barrier for {@code parties} threads with an action run by the last to arrive in each round.
     *
     * @param parties 1 or more
     * @param action the action, or {@code null}; it travels to every process that uses the barrier
     * @throws IllegalArgumentException if parties is less than 1 or more than 65535
     */
    public ProcessBarrier(int parties, SerializableRunnable action) {
        if (parties < 1 || parties > BarrierCore.MAX_PARTIES) {
            throw new IllegalArgumentException("barrier parties must be 1.." + BarrierCore.MAX_PARTIES
                    + ": parties=" + parties);
        }
        Segment segment = Segments.createShared(BarrierCore.BYTES, Kinds.BARRIER);
        this.segmentName = segment.name();
        this.action = action;
        this.core = new BarrierCore(segment, 0);
        core.initialize(parties);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        core = new BarrierCore(Segments.attachShared(segmentName, Kinds.BARRIER, BarrierCore.BYTES), 0);
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first, 0 for the last
     * @throws InterruptedException if interrupted while waiting (the round breaks)
     * @throws BrokenBarrierException if the round is or becomes broken
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return core.await(runnable(), Deadline.NONE);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no time-out was given", e);
        }
    }

    /**
     * Waits until all parties have arrived or the time-out has passed.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return the arrival index
     * @throws InterruptedException if interrupted while waiting (the round breaks)
     * @throws BrokenBarrierException if the round is or becomes broken
     * @throws TimeoutException if the time-out passes (the round breaks)
     */
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        return core.await(runnable(), Deadline.after(timeout, Objects.requireNonNull(unit, "unit")));
    }

    /** Breaks the current round if threads wait in it (they throw), then starts a fresh one. */
    public void reset() {
        core.reset();
    }

    /** @return the number of parties */
    public int parties() {
        return core.parties();
    }

    /** @return how many parties wait in the current round */
    public int numberWaiting() {
        return core.waiting();
    }

    /** @return whether the current round is broken */
    public boolean isBroken() {
        return core.isBroken();
    }

    private Runnable runnable() {
        if (action == null) {
            return null;
        }
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the barrier action threw: " + e, e);
            }
        };
    }

    @Override
    public String toString() {
        return "ProcessBarrier[parties=" + parties() + " waiting=" + numberWaiting() + (isBroken() ? " broken" : "")
                + " segment=" + segmentName + "]";
    }
}
