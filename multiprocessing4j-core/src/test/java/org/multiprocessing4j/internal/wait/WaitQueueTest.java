package org.multiprocessing4j.internal.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * WaitQueue and the ThreadBell wake-up, within one JVM and across child JVMs. Every blocking wait here is made
 * with no poll interval and no deadline, so only a ring can end it: a broken ring hangs the test into its
 * time-out instead of passing late on a poll.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitQueueTest {
    private static final int KIND = 0x5754_5354;
    /** Test segment: the queue at 0, then per waiter: +RESULT the Wake it got (ordinal + 1), +PID its pid. */
    private static final int RESULT = WaitQueue.BYTES;
    private static final int PID = RESULT + 8;
    private static final long SIZE = PID + 8;
    private static final long FOREVER = Long.MAX_VALUE;
    private static final long PARKED = 2;
    private static final long BELL = 4;

    private static Segment newSegment() {
        return Segments.createShared(SIZE, KIND);
    }

    /** A child's body: announce, then block with no poll and no deadline; record why it returned. */
    static void waitInChild(String name) {
        Segment seg = Segments.attachShared(name, KIND, SIZE);
        WaitQueue q = new WaitQueue(seg, 0);
        seg.setLongVolatile(PID, ProcessIdentity.selfPid());
        int slot = q.enter();
        WaitQueue.Wake w = q.park(slot, Deadline.NONE, true, FOREVER);
        q.leave(slot);
        seg.setLongVolatile(RESULT, w.ordinal() + 1);
    }

    /** A child's body: wake one waiter of the queue. */
    static void wakeFromChild(String name) {
        Segment seg = Segments.attachShared(name, KIND, SIZE);
        if (!new WaitQueue(seg, 0).wakeOne()) {
            throw new IllegalStateException("no waiter was woken");
        }
    }

    /** @return the word of the first slot once its waiter has set PARKED */
    private static long awaitParked(Segment seg, int index) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        while (System.nanoTime() < deadline) {
            long v = seg.getLongVolatile(16 + 8 * index);
            if ((v & PARKED) != 0) {
                return v;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no waiter parked in slot " + index);
    }

    private static long awaitResult(Segment seg) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        while (System.nanoTime() < deadline) {
            long r = seg.getLongVolatile(RESULT);
            if (r != 0) {
                return r;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the waiter never returned");
    }

    /** Runs a blocking wait on a thread of this JVM, returning why it ended. */
    private static CompletableFuture<WaitQueue.Wake> waitHere(WaitQueue q, long deadline) {
        CompletableFuture<WaitQueue.Wake> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int slot = q.enter();
            WaitQueue.Wake w = q.park(slot, deadline, true, FOREVER);
            q.leave(slot);
            f.complete(w);
        }, "waiter");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static WaitQueue.Wake outcome(CompletableFuture<WaitQueue.Wake> w) throws Exception {
        return w.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the child, lets {@code check} look at its slot word once it has parked, wakes it, checks it ends. */
    private static void wakeParkedChild(ChildProcess p, Segment seg, java.util.function.LongConsumer check)
            throws Exception {
        p.start();
        try {
            check.accept(awaitParked(seg, 0));
            assertTrue(new WaitQueue(seg, 0).wakeOne());
            assertEquals(WaitQueue.Wake.WOKEN.ordinal() + 1, awaitResult(seg));
            assertTrue(p.join(TestTimeouts.CHILD_STEP));
            assertEquals(0, p.exitCode());
        } finally {
            p.kill();
        }
    }

    @Test
    void parkedChildIsWokenThroughItsOwnBellAndNeedsNoDoorbell() throws Exception {
        Segment seg = newSegment();
        String name = seg.name();
        wakeParkedChild(new ChildProcess(() -> waitInChild(name)), seg, v -> {
            assertTrue((v & BELL) != 0, "the waiter announced a bell: word=" + Long.toHexString(v));
            long pid = v >>> 32;
            int thread = (int) ((v & 0xFFFF_FFFFL) >>> 3);
            assertNotNull(PeerSockets.find(pid, ThreadBell.fileName(thread)), "the bell's socket file");
            assertNull(PeerSockets.find(pid, "doorbell.sock"), "a process whose waiters have bells opens no doorbell");
        });
    }

    @Test
    void childWithoutBellsIsWokenThroughItsDoorbell() throws Exception {
        Segment seg = newSegment();
        String name = seg.name();
        wakeParkedChild(Multiprocessing.getContext().withJvmOptions("-Dmp4j.wait.maxThreadBells=0")
                .process(() -> waitInChild(name)), seg, v -> {
                    assertEquals(0, v & BELL, "over the limit of bells: word=" + Long.toHexString(v));
                    assertNotNull(PeerSockets.find(v >>> 32, "doorbell.sock"), "the fallback's socket file");
                });
    }

    @Test
    void parkedThreadHereIsWokenByAChild() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        CompletableFuture<WaitQueue.Wake> w = waitHere(q, Deadline.NONE);
        awaitParked(seg, 0);
        String name = seg.name();
        ChildProcess p = new ChildProcess(() -> wakeFromChild(name));
        p.start();
        assertEquals(WaitQueue.Wake.WOKEN, outcome(w));
        assertTrue(p.join(TestTimeouts.CHILD_STEP));
        assertEquals(0, p.exitCode());
    }

    @Test
    void wakeInTheSameProcessReachesAThreadBlockedInItsBell() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        CompletableFuture<WaitQueue.Wake> w = waitHere(q, Deadline.NONE);
        awaitParked(seg, 0);
        assertTrue(q.wakeOne());
        assertEquals(WaitQueue.Wake.WOKEN, outcome(w));
        assertFalse(q.hasWaiters());
    }

    /**
     * A thread woken out of its bell yields once at its next spin (its waker may share its core), and only then: not
     * after a wake that came before it blocked, nor after a wait that timed out.
     */
    @Test
    void onlyAThreadWokenOutOfItsBellYieldsAtItsNextSpinAndOnlyOnce() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            StringBuilder s = new StringBuilder();
            int slot = q.enter();
            s.append(q.park(slot, Deadline.NONE, true, FOREVER)).append(' ').append(WaitQueue.yieldDue());
            q.leave(slot);
            WaitQueue.yieldAfterWakeUp();
            s.append(' ').append(WaitQueue.yieldDue());
            slot = q.enter();
            q.wakeOne(); // before it parks: woken without a ring
            s.append(' ').append(q.park(slot, Deadline.NONE, true, FOREVER)).append(' ').append(WaitQueue.yieldDue());
            q.leave(slot);
            slot = q.enter();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            s.append(' ').append(q.park(slot, deadline, true, FOREVER)).append(' ').append(WaitQueue.yieldDue());
            q.leave(slot);
            seen.complete(s.toString());
        });
        t.setDaemon(true);
        t.start();
        awaitParked(seg, 0);
        assertTrue(q.wakeOne());
        assertEquals("WOKEN true false WOKEN false TIMED_OUT false",
                seen.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void interruptEndsABellWaitAndTheBellStillRingsAfterwards() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        CompletableFuture<WaitQueue.Wake> first = new CompletableFuture<>();
        CompletableFuture<WaitQueue.Wake> second = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int slot = q.enter();
            WaitQueue.Wake w = q.park(slot, Deadline.NONE, true, FOREVER);
            q.leave(slot); // before telling the test, which then waits for the next wait to park
            first.complete(w);
            slot = q.enter();
            w = q.park(slot, Deadline.NONE, true, FOREVER);
            q.leave(slot);
            second.complete(w);
        });
        t.setDaemon(true);
        t.start();
        awaitParked(seg, 0);
        t.interrupt();
        assertEquals(WaitQueue.Wake.INTERRUPTED, outcome(first));
        awaitParked(seg, 0);
        assertTrue(q.wakeOne());
        assertEquals(WaitQueue.Wake.WOKEN, outcome(second));
    }

    @Test
    void uninterruptibleBellWaitKeepsTheInterruptForLater() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        CompletableFuture<WaitQueue.Wake> w = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int slot = q.enter();
            w.complete(q.park(slot, Deadline.NONE, false, FOREVER));
            q.leave(slot);
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        t.setDaemon(true);
        t.start();
        awaitParked(seg, 0);
        t.interrupt();
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        assertFalse(w.isDone(), "an interrupt does not end an uninterruptible wait");
        assertTrue(q.wakeOne());
        assertEquals(WaitQueue.Wake.WOKEN, outcome(w));
        assertTrue(stillInterrupted.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void staleRingIsAbsorbedAndAWaitStillEndsByItsDeadline() {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        assertNotNull(ThreadBell.current());
        assertTrue(ThreadBell.ringLocal(ThreadSlots.current()), "this thread has a bell"); // nobody waits: stale
        for (long millis : new long[] {30, 0}) {
            int slot = q.enter();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) + 300_000;
            assertEquals(WaitQueue.Wake.TIMED_OUT, q.park(slot, deadline, true, FOREVER), "wait of " + millis + " ms");
            assertFalse(q.leave(slot));
        }
    }

    @Test
    void killedChildWaiterDoesNotSwallowAWake() throws Exception {
        Segment seg = newSegment();
        WaitQueue q = new WaitQueue(seg, 0);
        String name = seg.name();
        ChildProcess p = new ChildProcess(() -> waitInChild(name));
        p.start();
        awaitParked(seg, 0);
        p.kill();
        p.join();
        CompletableFuture<WaitQueue.Wake> here = waitHere(q, Deadline.NONE);
        awaitParked(seg, 1);
        assertTrue(q.wakeOne(), "the wake passes over the dead waiter's slot (scanned first) to the live one");
        assertEquals(WaitQueue.Wake.WOKEN, outcome(here));
        assertEquals(0, seg.getLongVolatile(16), "the dead waiter's slot is freed");
    }

    @Test
    void bellOfAnEndedThreadIsClosedAndItsSocketFileDeleted() throws Exception {
        int[] slot = new int[1];
        Thread t = new Thread(() -> {
            slot[0] = ThreadSlots.current();
            assertNotNull(ThreadBell.current());
        });
        t.start();
        t.join();
        Path file = RuntimeDir.get().path().resolve(ThreadBell.fileName(slot[0]));
        assertTrue(Files.exists(file), "made on first use: " + file);
        Thread next = new Thread(ThreadBell::current); // making a bell closes those of ended threads
        next.start();
        next.join();
        assertFalse(Files.exists(file), "closed with its thread: " + file);
        assertFalse(ThreadBell.ringLocal(slot[0]));
        assertNotEquals(0, slot[0]);
    }
}
