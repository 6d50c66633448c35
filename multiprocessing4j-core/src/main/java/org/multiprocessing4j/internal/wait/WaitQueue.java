package org.multiprocessing4j.internal.wait;

import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;

/**
 * A list of waiting threads of any process, in shared memory: what a futex keeps in the kernel. A waiter announces
 * itself, re-checks its condition, then blocks; a waker changes the condition, then wakes one or all announced
 * waiters. Because both steps are sequentially consistent, a waiter either sees the new condition or is seen by
 * the waker: no wake-up is lost.
 *
 * <pre>
 * Overview: memory layout at {@code offset} (BYTES = 16 + 8 * CAPACITY)
 *   +0   int   count of announced waiters (wakers skip the scan when 0)
 *   +4   int   next: where the next wake scan starts (rotates, so no slot is always first)
 *   +16  long  slots[CAPACITY]: 0 = free, else pid << 32 | thread << 3 | BELL (4) | PARKED (2) | WOKEN (1)
 *
 * One slot's protocol, every step a CAS on the slot word:
 *   waiter: free -> key (announce; BELL if the thread has its own ThreadBell, made before this step); spins a
 *           little watching WOKEN; then key -> key|PARKED and blocks (in its ThreadBell's select, else parked)
 *           until it sees WOKEN, its deadline, an interrupt or the poll interval (a waiter re-checks liveness of
 *           whatever it waits for on each poll); finally slot -> free, learning whether it had been woken.
 *   waker:  key[|PARKED] -> key[|PARKED]|WOKEN; only if PARKED was set does it ring the waiter: its ThreadBell
 *           (one hop: the waiter's own system call returns) if BELL, else its process's Doorbell (a selector
 *           thread that unparks it: two hops). A waiter that is still spinning costs the waker no system call.
 *           A ring that finds no socket means the waiter's process has ended: its slot is freed and the wake
 *           goes to another waiter.
 * A waiter that was woken but leaves without using the wake (time-out, interrupt) passes it on (wakeOne).
 * Fairness: none. The scan start rotates, so no waiter is favoured for ever, but neither is the longest waiting
 * served first, and a thread that has not waited at all may take what a woken waiter was woken for (barging).
 * A full list (CAPACITY waiters on one primitive) is not an error: the extra waiters poll.
 * </pre>
 */
public final class WaitQueue {
    /** Waiter slots per queue. */
    public static final int CAPACITY = 64;
    /** Bytes a queue takes in a segment (8-byte aligned). */
    public static final int BYTES = 16 + 8 * CAPACITY;
    private static final long WOKEN = 1;
    private static final long PARKED = 2;
    private static final long BELL = 4;
    private static final int MISSED = 0;
    private static final int WOKE = 1;
    private static final int RANG = 2;
    private static final boolean YIELD_AFTER_RING = Boolean.parseBoolean(System.getProperty(
            "mp4j.wait.yieldAfterRing", "true"));
    private static final int SPINS = 200;
    /**
     * The id of the thread that last came out of its bell's wait woken, if it has not begun a spin since
     * ({@link #yieldAfterWakeUp}); 0 for none. A hint: a thread of this process that overwrites another's id only
     * spares that one a yield. Volatile for whole reads and writes of the long only (on x86 its read is a plain load).
     */
    private static volatile long wokenThread;

    /** Why {@link #park} returned. */
    public enum Wake { WOKEN, TIMED_OUT, INTERRUPTED, POLL }

    private final Segment segment;
    private final int count;
    private final int next;
    private final int slots;
    private final boolean yieldAfterRing;

    /**
     * A queue whose wakers yield after ringing another process (see {@link #WaitQueue(Segment, int, boolean)}).
     *
     * @param segment the segment holding the queue
     * @param offset where the queue starts (8-byte aligned), {@link #BYTES} long, zeroed when made
     */
    public WaitQueue(Segment segment, int offset) {
        this(segment, offset, true);
    }

    /**
     * @param segment the segment holding the queue
     * @param offset where the queue starts (8-byte aligned), {@link #BYTES} long, zeroed when made
     * @param replyExpected whether a waker usually waits next for what the woken thread does (a pipe's reply, an
     *     item, an event): then it yields once after ringing another process, so that the woken thread gets the
     *     core (see {@code yieldIfRang}); a lock's waker goes on with its own work, and yielding would only
     *     turn its run of acquisitions into hand-offs
     */
    public WaitQueue(Segment segment, int offset, boolean replyExpected) {
        this.segment = segment;
        this.count = offset;
        this.next = offset + 4;
        this.slots = offset + 16;
        this.yieldAfterRing = replyExpected && YIELD_AFTER_RING;
    }

    /**
     * Called by a waiter as it begins to spin: if this thread's last park ended woken through its bell, and it has
     * not spun since, yields once first.
     * <p>
     * Why: a ring is a "sync" wake-up (see {@link #yieldIfRang}), so the woken thread usually runs on its waker's
     * core, and the waker, which yielded to it, is still there, runnable. A woken thread that answers and then spins
     * for its next message keeps its waker off that core for the whole spin, the other core idle: a request to an
     * idle pipe receiver came back ~240 us after it was sent, the receiver's own ~20 us plus its 200 us spin (its
     * peer's send() returned only when the spin ended). Yielding once hands the core back at once, and costs a wait
     * whose waker is elsewhere one {@code sched_yield} (well under a microsecond when nothing else is runnable). A
     * busy exchange never parks, so it never yields here.
     */
    public static void yieldAfterWakeUp() {
        if (yieldDue()) {
            wokenThread = 0;
            Thread.yield();
        }
    }

    /** @return whether the calling thread's next {@link #yieldAfterWakeUp} yields (thread ids start at 1) */
    static boolean yieldDue() {
        return wokenThread == Thread.currentThread().getId();
    }

    /** @return whether some waiter has announced itself (a hint; exact only under the caller's own protocol) */
    public boolean hasWaiters() {
        return segment.getIntVolatile(count) > 0;
    }

    /**
     * Announces the current thread as a waiter. The caller then re-checks its condition and either leaves
     * ({@link #leave}) or parks ({@link #park}).
     *
     * @return the slot index, or -1 if the list is full (then poll: park without a slot)
     */
    public int enter() {
        long bell = BELL;
        if (ThreadBell.current() == null) {
            Doorbell.ensureListening();
            bell = 0;
        }
        long key = ProcessIdentity.selfPid() << 32 | (long) ThreadSlots.current() << 3 | bell;
        segment.getAndAddInt(count, 1);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < CAPACITY; i++) {
                int at = slots + 8 * i;
                if (segment.getLongVolatile(at) == 0 && segment.compareAndSetLong(at, 0, key)) {
                    return i;
                }
            }
            clearDead();
        }
        segment.getAndAddInt(count, -1);
        return -1;
    }

    /**
     * Withdraws the announcement.
     *
     * @param index the slot from {@link #enter()}, or -1
     * @return whether a waker had woken this waiter (its wake is the caller's to use or pass on)
     */
    public boolean leave(int index) {
        if (index < 0) {
            return false;
        }
        long v = segment.getAndSetLong(slots + 8 * index, 0);
        segment.getAndAddInt(count, -1);
        return (v & WOKEN) != 0;
    }

    /**
     * Waits until woken, the deadline, an interrupt (if {@code interruptible}) or {@code pollNanos} have passed.
     * With index -1 it only sleeps (up to 1 ms) and returns POLL.
     *
     * @param index the slot from {@link #enter()}
     * @param deadline a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @param interruptible whether an interrupt ends the wait (the interrupt status is then cleared, as in
     *     {@code Thread.interrupted()}); otherwise an interrupt is kept for the caller to see later
     * @param pollNanos the longest park before returning POLL
     * @return why it returned
     */
    public Wake park(int index, long deadline, boolean interruptible, long pollNanos) {
        long start = System.nanoTime();
        if (index < 0) {
            long d = Math.min(Math.min(Deadline.remaining(deadline, start), pollNanos), 1_000_000);
            if (d <= 0) {
                return Wake.TIMED_OUT;
            }
            // a pending interrupt would make parkNanos return at once: take it, and give it back if not ours to act on
            boolean interrupted = Thread.interrupted();
            if (interrupted && interruptible) {
                return Wake.INTERRUPTED;
            }
            LockSupport.parkNanos(this, d);
            if (Thread.interrupted()) {
                if (interruptible) {
                    return Wake.INTERRUPTED;
                }
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return Deadline.remaining(deadline, System.nanoTime()) <= 0 ? Wake.TIMED_OUT : Wake.POLL;
        }
        return parkAny(new WaitQueue[] {this}, new int[] {index}, deadline, interruptible, pollNanos);
    }

    /**
     * Waits, as {@link #park}, until this thread is woken through any of several queues it has entered: what a
     * select over several shared-memory connections needs. Every slot is marked parked, so a waker of any queue
     * rings this thread's bell (or doorbell).
     *
     * @param queues the queues
     * @param indexes the slots from {@link #enter()} of each queue, in the same order (none -1)
     * @param deadline a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
     * @param interruptible as {@link #park}
     * @param pollNanos the longest wait before returning POLL
     * @return why it returned
     */
    public static Wake parkAny(WaitQueue[] queues, int[] indexes, long deadline, boolean interruptible,
                               long pollNanos) {
        long start = System.nanoTime();
        for (int i = 0; i < SPINS; i++) {
            if (anyWoken(queues, indexes)) {
                return Wake.WOKEN;
            }
            Thread.onSpinWait();
        }
        boolean bells = true;
        for (int k = 0; k < queues.length; k++) {
            Segment segment = queues[k].segment;
            int at = queues[k].slots + 8 * indexes[k];
            while (true) {
                long v = segment.getLongVolatile(at);
                if ((v & WOKEN) != 0) {
                    return Wake.WOKEN;
                }
                if (segment.compareAndSetLong(at, v, v | PARKED)) {
                    bells &= (v & BELL) != 0;
                    break;
                }
            }
        }
        ThreadBell bell = bells ? ThreadBell.current() : null;
        boolean interrupted = false;
        boolean blocked = false;
        try {
            while (true) {
                if (anyWoken(queues, indexes)) {
                    if (blocked) {
                        wokenThread = Thread.currentThread().getId();
                    }
                    return Wake.WOKEN;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        return Wake.INTERRUPTED;
                    }
                    interrupted = true;
                }
                long now = System.nanoTime();
                long remaining = Deadline.remaining(deadline, now);
                if (remaining <= 0) {
                    return Wake.TIMED_OUT;
                }
                long poll = pollNanos - (now - start);
                if (poll <= 0) {
                    return Wake.POLL;
                }
                if (bell != null) {
                    bell.await(queues[0], Math.min(poll, remaining), remaining <= poll);
                    blocked = true;
                } else {
                    LockSupport.parkNanos(queues[0], Math.min(poll, remaining));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean anyWoken(WaitQueue[] queues, int[] indexes) {
        for (int k = 0; k < queues.length; k++) {
            if ((queues[k].segment.getLongVolatile(queues[k].slots + 8 * indexes[k]) & WOKEN) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wakes one announced waiter that was not woken yet.
     *
     * @return whether one was woken
     */
    public boolean wakeOne() {
        if (segment.getIntVolatile(count) <= 0) {
            return false;
        }
        int from = segment.getAndAddInt(next, 1);
        for (int k = 0; k < CAPACITY; k++) {
            int i = Math.floorMod(from + k, CAPACITY);
            int r = wake(slots + 8 * i);
            if (r != MISSED) {
                yieldIfRang(r == RANG);
                return true;
            }
        }
        return false;
    }

    /** Wakes every announced waiter. */
    public void wakeAll() {
        if (segment.getIntVolatile(count) <= 0) {
            return;
        }
        boolean rang = false;
        for (int i = 0; i < CAPACITY; i++) {
            rang |= wake(slots + 8 * i) == RANG;
        }
        yieldIfRang(rang);
    }

    /**
     * After a ring to another process the waker yields once (after the last, when it rang several): a socket
     * write is a "sync" wake-up, which makes Linux queue the woken thread on the waker's core, expecting the waker
     * to sleep; a waker that spins on (waiting for a reply) would keep it off that core for its whole spin (an idle
     * pipe receiver woke ~2.5x later without the yield).
     */
    private void yieldIfRang(boolean rang) {
        if (rang && yieldAfterRing) {
            Thread.yield();
        }
    }

    /** @return MISSED (no waiter to wake there), WOKE, or RANG (woken by a ring to another process) */
    private int wake(int at) {
        while (true) {
            long v = segment.getLongVolatile(at);
            if (v == 0 || (v & WOKEN) != 0) {
                return MISSED;
            }
            if (segment.compareAndSetLong(at, v, v | WOKEN)) {
                if ((v & PARKED) == 0) {
                    return WOKE;
                }
                if (ring(v)) {
                    return v >>> 32 == ProcessIdentity.selfPid() ? WOKE : RANG;
                }
                long pid = v >>> 32;
                if (!ProcessIdentity.isAlive(pid, 0)) {
                    // the waiter's process ended while it waited: free its slot, wake someone else
                    if (segment.compareAndSetLong(at, v | WOKEN, 0)) {
                        segment.getAndAddInt(count, -1);
                    }
                    return MISSED;
                }
                return WOKE; // alive but unreachable for now: it sees WOKEN on its next poll
            }
        }
    }

    /** Rings the waiter of slot word {@code v}; false if it has no reachable socket (its process ended). */
    private static boolean ring(long v) {
        long pid = v >>> 32;
        int thread = (int) ((v & 0xFFFF_FFFFL) >>> 3);
        if (pid == ProcessIdentity.selfPid()) {
            return (v & BELL) != 0 && ThreadBell.ringLocal(thread) || Doorbell.ring(pid, thread);
        }
        return (v & BELL) != 0 ? BellLines.ring(pid, thread) : Doorbell.ring(pid, thread);
    }

    /** Frees slots of waiters whose process has ended. */
    private void clearDead() {
        for (int i = 0; i < CAPACITY; i++) {
            int at = slots + 8 * i;
            long v = segment.getLongVolatile(at);
            if (v != 0 && !ProcessIdentity.isAlive(v >>> 32, 0) && segment.compareAndSetLong(at, v, 0)) {
                segment.getAndAddInt(count, -1);
            }
        }
    }
}
