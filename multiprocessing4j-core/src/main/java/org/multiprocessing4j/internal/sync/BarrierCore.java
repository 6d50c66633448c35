package org.multiprocessing4j.internal.sync;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * A cyclic barrier in shared memory with {@code CyclicBarrier}'s all-or-none breakage model.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES)
 *   +0   long  state: generation << 32 | BROKEN (1 << 16) | arrived count (16 bits)
 *   +8   long  outcome ring: bit (g mod 64) set = generation g ended broken (by break or reset), clear = tripped
 *   +16  int   parties
 *   +24  WaitQueue
 * arrive: CAS count + 1 in the current generation (a thread that finds count = parties, the action running,
 *   waits for the next generation). The last arriver runs the action (in its own process), then
 *   clears outcome bit g, moves the state to (g + 1, 0) and wakes all; an action that throws breaks g instead.
 * wait:   announce, re-check that the state is still (g, not broken), park; a waiter of g that finds the
 *   generation moved on reads bit g of the outcome ring (valid while fewer than 64 generations passed).
 * break:  CAS (g, *) -> (g, BROKEN, *), set outcome bit g, wake all. Caused by a time-out or interrupt of a
 *   waiter, an action that throws, reset() with waiters, or a participant's death: a waiter polls the segment's
 *   user table and breaks the barrier when a process that attached the barrier has died without letting go
 *   (kill -9, a crash); a process that ends in order lets go and breaks nothing. reset() forgets dead users.
 * </pre>
 */
public final class BarrierCore {
    /** Bytes a barrier takes in a segment. */
    public static final int BYTES = 24 + WaitQueue.BYTES;
    /** The most parties a barrier may have. */
    public static final int MAX_PARTIES = 0xFFFF;
    private static final long BROKEN = 1L << 16;
    private static final long COUNT = 0xFFFF;
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(50);

    private final Segment segment;
    private final int state;
    private final int outcome;
    private final int partiesAt;
    private final WaitQueue queue;

    /**
     * @param segment the segment
     * @param offset the start (8-byte aligned)
     */
    public BarrierCore(Segment segment, int offset) {
        this.segment = segment;
        this.state = offset;
        this.outcome = offset + 8;
        this.partiesAt = offset + 16;
        this.queue = new WaitQueue(segment, offset + 24);
    }

    /** Sets the party count of a new barrier. */
    public void initialize(int parties) {
        segment.setIntVolatile(partiesAt, parties);
    }

    /** @return the number of parties */
    public int parties() {
        return segment.getIntVolatile(partiesAt);
    }

    /** @return the parties waiting now */
    public int waiting() {
        long s = segment.getLongVolatile(state);
        return (s & BROKEN) != 0 ? 0 : (int) (s & COUNT);
    }

    /** @return whether the current generation is broken */
    public boolean isBroken() {
        return (segment.getLongVolatile(state) & BROKEN) != 0;
    }

    /**
     * Arrives and waits for the others.
     *
     * @param action run by the last to arrive, or {@code null}
     * @param deadline {@link System#nanoTime()} deadline or {@link Long#MAX_VALUE}
     * @return the arrival index: parties - 1 for the first, 0 for the last
     * @throws InterruptedException if interrupted while waiting (the barrier breaks)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws TimeoutException if the deadline passes (the barrier breaks)
     */
    public int await(Runnable action, long deadline) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        int parties = parties();
        long s;
        long gen;
        int arrived;
        while (true) {
            s = segment.getLongVolatile(state);
            gen = s >>> 32;
            if ((s & BROKEN) != 0) {
                throw broken(gen);
            }
            if (Thread.interrupted()) {
                breakGeneration(gen);
                throw new InterruptedException();
            }
            arrived = (int) (s & COUNT) + 1;
            if (arrived > parties) {
                // the last party is running the action: this thread belongs to the next round
                Thread.yield();
                continue;
            }
            if (segment.compareAndSetLong(state, s, s + 1)) {
                break;
            }
        }
        if (arrived == parties) {
            trip(gen, action);
            return 0;
        }
        waitFor(gen, deadline);
        return parties - arrived;
    }

    private void waitFor(long gen, long deadline) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        while (true) {
            if (ended(gen)) {
                return;
            }
            int slot = queue.enter();
            if (ended(gen)) {
                queue.leave(slot);
                return;
            }
            WaitQueue.Wake w = queue.park(slot, deadline, true, POLL);
            queue.leave(slot);
            if (w == WaitQueue.Wake.WOKEN) {
                continue;
            }
            if (ended(gen)) {
                if (w == WaitQueue.Wake.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (w == WaitQueue.Wake.INTERRUPTED) {
                breakGeneration(gen);
                throw new InterruptedException();
            }
            if (w == WaitQueue.Wake.TIMED_OUT) {
                breakGeneration(gen);
                throw new TimeoutException("barrier wait timed out: parties=" + parties() + " arrived="
                        + (segment.getLongVolatile(state) & COUNT) + " segment=" + segment.name());
            }
            if (segment.hasDeadUser()) {
                breakGeneration(gen);
            }
        }
    }

    /** @return whether generation {@code gen} tripped; throws if it ended broken */
    private boolean ended(long gen) throws BrokenBarrierException {
        long s = segment.getLongVolatile(state);
        if (s >>> 32 == gen) {
            if ((s & BROKEN) != 0) {
                throw broken(gen);
            }
            return false;
        }
        if ((segment.getLongVolatile(outcome) & 1L << (gen & 63)) != 0) {
            throw broken(gen);
        }
        return true;
    }

    private void trip(long gen, Runnable action) {
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                breakGeneration(gen);
                throw e;
            }
        }
        clearOutcome(gen);
        while (true) {
            long s = segment.getLongVolatile(state);
            if (s >>> 32 != gen || (s & BROKEN) != 0) {
                return; // broken or reset meanwhile
            }
            if (segment.compareAndSetLong(state, s, (gen + 1 & 0xFFFF_FFFFL) << 32)) {
                break;
            }
        }
        queue.wakeAll();
    }

    /** Breaks generation {@code gen} if it is current and not broken yet. */
    public void breakGeneration(long gen) {
        while (true) {
            long s = segment.getLongVolatile(state);
            if (s >>> 32 != gen || (s & BROKEN) != 0) {
                return;
            }
            setOutcome(gen);
            if (segment.compareAndSetLong(state, s, s | BROKEN)) {
                break;
            }
        }
        queue.wakeAll();
    }

    /** Breaks the current generation if parties wait, then starts a new one; forgets dead participants. */
    public void reset() {
        segment.clearDeadUsers();
        while (true) {
            long s = segment.getLongVolatile(state);
            long gen = s >>> 32;
            if ((s & COUNT) != 0 && (s & BROKEN) == 0) {
                breakGeneration(gen);
                continue;
            }
            if ((s & BROKEN) == 0) {
                setOutcome(gen); // a reset generation counts as broken for anyone still looking at it
            }
            if (segment.compareAndSetLong(state, s, (gen + 1 & 0xFFFF_FFFFL) << 32)) {
                clearOutcome(gen + 1);
                queue.wakeAll();
                return;
            }
        }
    }

    private void setOutcome(long gen) {
        long bit = 1L << (gen & 63);
        while (true) {
            long o = segment.getLongVolatile(outcome);
            if ((o & bit) != 0 || segment.compareAndSetLong(outcome, o, o | bit)) {
                return;
            }
        }
    }

    private void clearOutcome(long gen) {
        long bit = 1L << (gen & 63);
        while (true) {
            long o = segment.getLongVolatile(outcome);
            if ((o & bit) == 0 || segment.compareAndSetLong(outcome, o, o & ~bit)) {
                return;
            }
        }
    }

    private BrokenBarrierException broken(long gen) {
        return new BrokenBarrierException("barrier is broken: generation=" + gen + " parties=" + parties()
                + " segment=" + segment.name() + " (a party timed out, was interrupted or died, the action threw,"
                + " or reset() was called)");
    }
}
