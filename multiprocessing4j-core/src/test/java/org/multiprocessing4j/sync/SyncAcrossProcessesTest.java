package org.multiprocessing4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.shared.SharedInt;
import org.multiprocessing4j.shared.SharedIntArray;

/** The sync types between real child JVMs: stress, no lost wake-ups, and processes that die. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SyncAcrossProcessesTest {
    private static final int PROCS = 3;

    @Test
    void lockedNonAtomicIncrementsFromManyProcessesAreExact() throws Exception {
        ProcessLock lock = new ProcessLock();
        SharedInt counter = new SharedInt(0);
        SharedInt viaValueLock = new SharedInt(0);
        SharedInt atomic = new SharedInt(0);
        int m = 5_000;
        List<ChildProcess> ps = Children.start(PROCS, () -> {
            for (int i = 0; i < m; i++) {
                lock.lock();
                try {
                    counter.set(counter.get() + 1);
                } finally {
                    lock.unlock();
                }
                viaValueLock.lock().lock();
                try {
                    viaValueLock.set(viaValueLock.get() + 1);
                } finally {
                    viaValueLock.lock().unlock();
                }
                atomic.incrementAndGet();
            }
        });
        Children.joinAll(ps);
        assertEquals(PROCS * m, counter.get());
        assertEquals(PROCS * m, viaValueLock.get());
        assertEquals(PROCS * m, atomic.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void semaphoreNeverAdmitsMoreThanItsPermits() throws Exception {
        ProcessSemaphore sem = new ProcessSemaphore(2);
        SharedInt inside = new SharedInt(0);
        SharedInt most = new SharedInt(0);
        List<ChildProcess> ps = Children.start(PROCS + 1, () -> {
            for (int i = 0; i < 500; i++) {
                sem.acquire();
                try {
                    int now = inside.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    for (int k = 0; k < 50; k++) {
                        Thread.onSpinWait();
                    }
                    inside.decrementAndGet();
                } finally {
                    sem.release();
                }
            }
        });
        Children.joinAll(ps);
        assertTrue(most.get() <= 2 && most.get() >= 1, "most inside at once: " + most.get());
        assertEquals(2, sem.availablePermits());
    }

    @Test
    void conditionSignalsAreNeverLost() throws Exception {
        ProcessReentrantLock lock = new ProcessReentrantLock();
        ProcessCondition cond = new ProcessCondition(lock);
        SharedInt items = new SharedInt(0);
        SharedInt taken = new SharedInt(0);
        int n = 2_000;
        List<ChildProcess> ps = Children.start(2, () -> {
            while (true) {
                lock.lock();
                try {
                    while (items.get() == 0 && taken.get() < n) {
                        cond.await();
                    }
                    if (taken.get() >= n) {
                        cond.signalAll();
                        return;
                    }
                    items.decrementAndGet();
                    if (taken.incrementAndGet() == n) {
                        cond.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        });
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                items.incrementAndGet();
                cond.signal();
            } finally {
                lock.unlock();
            }
            if (i % 64 == 0) {
                Thread.yield();
            }
        }
        Children.joinAll(ps);
        assertEquals(n, taken.get());
        assertEquals(0, items.get());
    }

    @Test
    void barrierGenerationsStayInStepAndTheActionRunsOncePerRound() throws Exception {
        SharedInt actions = new SharedInt(0);
        ProcessBarrier barrier = new ProcessBarrier(PROCS, actions::incrementAndGet);
        SharedIntArray rounds = new SharedIntArray(PROCS);
        SharedInt outOfStep = new SharedInt(0);
        SharedInt ids = new SharedInt(0);
        int r = 200;
        List<ChildProcess> ps = Children.start(PROCS, () -> {
            int me = ids.getAndIncrement();
            for (int round = 1; round <= r; round++) {
                rounds.set(me, round);
                barrier.await();
                for (int j = 0; j < PROCS; j++) {
                    if (rounds.get(j) != round) {
                        outOfStep.incrementAndGet();
                    }
                }
                barrier.await();
            }
        });
        Children.joinAll(ps);
        assertEquals(0, outOfStep.get());
        assertEquals(2 * r, actions.get());
        assertFalse(barrier.isBroken());
    }

    /** Starts a child that runs {@code acquire}, says so and sleeps until killed; returns once it has acquired. */
    private static ChildProcess startHolder(SerializableRunnable acquire) throws Exception {
        ProcessEvent acquired = new ProcessEvent();
        ChildProcess p = new ChildProcess(() -> {
            acquire.run();
            acquired.set();
            Thread.sleep(Long.MAX_VALUE);
        });
        p.start();
        assertTrue(acquired.await(TestTimeouts.CHILD_STEP));
        return p;
    }

    @Test
    void killedLockHolderPassesTheLockToTheNextAcquirer() throws Exception {
        ProcessReentrantLock lock = new ProcessReentrantLock();
        ChildProcess p = startHolder(() -> lock.lock());
        assertFalse(lock.tryLock());
        p.kill();
        p.join();
        assertTrue(lock.tryLock(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(lock.previousOwnerDied());
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.previousOwnerDied());
        assertFalse(lock.isLocked());
    }

    @Test
    void waiterParkedOnAKilledHoldersLockGetsIt() throws Exception {
        ProcessLock lock = new ProcessLock();
        ChildProcess p = startHolder(() -> lock.lock());
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(TestTimeouts.SETTLE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            p.kill();
        });
        killer.start();
        lock.lock(); // parks, then notices the dead holder
        assertTrue(lock.previousOwnerDied());
        lock.unlock();
        killer.join();
        p.join();
    }

    @Test
    void killedBarrierPartyBreaksTheBarrierInsteadOfHanging() throws Exception {
        ProcessBarrier barrier = new ProcessBarrier(3);
        ProcessEvent attached = new ProcessEvent();
        ChildProcess victim = new ChildProcess(() -> {
            attached.set();
            barrier.await();
        });
        SharedInt broken = new SharedInt(0);
        ChildProcess survivor = new ChildProcess(() -> {
            try {
                barrier.await();
            } catch (BrokenBarrierException e) {
                broken.incrementAndGet();
            }
        });
        victim.start();
        assertTrue(attached.await(TestTimeouts.CHILD_STEP));
        survivor.start();
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        while (barrier.numberWaiting() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, barrier.numberWaiting());
        victim.kill();
        victim.join();
        survivor.join();
        assertEquals(1, broken.get());
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
    }

    @Test
    void permitsOfAKilledProcessAreNotReturned() throws Exception {
        ProcessSemaphore sem = new ProcessSemaphore(2);
        ChildProcess p = startHolder(() -> sem.acquire());
        p.kill();
        p.join();
        assertEquals(1, sem.availablePermits());
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire());
    }

    @Test
    void eventSetInAChildWakesTheParentAndTheOtherWay() throws Exception {
        ProcessEvent ping = new ProcessEvent();
        ProcessEvent pong = new ProcessEvent();
        List<ChildProcess> ps = Children.start(1, () -> {
            for (int i = 0; i < 200; i++) {
                ping.await();
                ping.clear();
                pong.set();
            }
        });
        for (int i = 0; i < 200; i++) {
            ping.set();
            assertTrue(pong.await(TestTimeouts.CHILD_STEP));
            pong.clear();
        }
        Children.joinAll(ps);
    }

    @Test
    void interruptEndsACrossProcessWaitWithInterruptedException() throws Exception {
        ProcessSemaphore sem = new ProcessSemaphore(0);
        SharedInt outcome = new SharedInt(0);
        Thread t = new Thread(() -> {
            try {
                sem.acquire();
                outcome.set(1);
            } catch (InterruptedException e) {
                outcome.set(2);
            }
        });
        t.start();
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        t.interrupt();
        t.join(TestTimeouts.CHILD_STEP.toMillis());
        assertEquals(2, outcome.get());
        List<ChildProcess> ps = Children.start(1, sem::release);
        assertTrue(sem.tryAcquire(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        Children.joinAll(ps);
    }

    @Test
    void onlyTheHolderUnlocksAReentrantLockWhileAnyProcessUnlocksAProcessLock() throws Exception {
        ProcessReentrantLock rlock = new ProcessReentrantLock();
        ProcessLock lock = new ProcessLock();
        SharedInt refused = new SharedInt(0);
        rlock.lock();
        rlock.lock();
        lock.lock();
        List<ChildProcess> ps = Children.start(1, () -> {
            try {
                rlock.unlock();
            } catch (IllegalMonitorStateException e) {
                refused.incrementAndGet();
            }
            lock.unlock(); // a hand-off: Python allows any process to release a Lock
        });
        Children.joinAll(ps);
        assertEquals(1, refused.get());
        assertFalse(lock.isLocked());
        assertEquals(2, rlock.getHoldCount());
        rlock.unlock();
        rlock.unlock();
        assertFalse(rlock.isLocked());
    }

    @Test
    void awaitUntilSeesAPredicateMadeTrueByAnotherProcess() throws Exception {
        ProcessLock lock = new ProcessLock();
        ProcessCondition cond = lock.newCondition();
        SharedInt stage = new SharedInt(0);
        List<ChildProcess> ps = Children.start(1, () -> {
            for (int i = 1; i <= 3; i++) {
                Thread.sleep(20);
                lock.lock();
                try {
                    stage.set(i);
                    cond.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        lock.lock();
        try {
            assertTrue(cond.awaitUntil(() -> stage.get() == 3, TestTimeouts.CHILD_STEP));
            assertFalse(cond.awaitUntil(() -> stage.get() == 4, Duration.ofMillis(50)));
        } finally {
            lock.unlock();
        }
        Children.joinAll(ps);
    }
}
