package org.multiprocessing4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contracts of the sync types between threads of one JVM (the cross-process runs are in SyncAcrossProcessesTest). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSyncTest {
    @Test
    void lockExcludesThreadsAndAnyThreadMayUnlockAProcessLock() throws Exception {
        ProcessLock lock = new ProcessLock();
        int[] counter = {0};
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    lock.lock();
                    try {
                        counter[0]++;
                    } finally {
                        lock.unlock();
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(80_000, counter[0]);
        lock.lock();
        Thread other = new Thread(lock::unlock);
        other.start();
        other.join();
        assertFalse(lock.isLocked());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void reentrantLockCountsHoldsAndOnlyTheHolderUnlocks() throws Exception {
        ProcessReentrantLock lock = new ProcessReentrantLock();
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount());
        AtomicInteger refused = new AtomicInteger();
        Thread other = new Thread(() -> {
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException e) {
                refused.incrementAndGet();
            }
            if (!lock.tryLock()) {
                refused.incrementAndGet();
            }
        });
        other.start();
        other.join();
        assertEquals(2, refused.get());
        lock.unlock();
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void timedTryLockTimesOutAndLockInterruptiblyThrows() throws Exception {
        ProcessLock lock = new ProcessLock();
        lock.lock();
        AtomicInteger outcomes = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                if (!lock.tryLock(50, TimeUnit.MILLISECONDS)) {
                    outcomes.incrementAndGet();
                }
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                outcomes.addAndGet(10);
            }
        });
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join();
        assertEquals(11, outcomes.get());
        lock.unlock();
    }

    @Test
    void conditionWakesAWaiter() throws Exception {
        ProcessReentrantLock lock = new ProcessReentrantLock();
        ProcessCondition cond = lock.newCondition();
        boolean[] ready = {false};
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                waiting.countDown();
                while (!ready[0]) {
                    cond.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        });
        t.start();
        waiting.await();
        lock.lock();
        try {
            ready[0] = true;
            cond.signal();
        } finally {
            lock.unlock();
        }
        t.join();
        lock.lock();
        try {
            assertFalse(cond.await(10, TimeUnit.MILLISECONDS));
            assertTrue(cond.awaitUntil(() -> true, Duration.ofMillis(1)));
        } finally {
            lock.unlock();
        }
        assertThrows(IllegalMonitorStateException.class, cond::signal);
    }

    @Test
    void semaphoreCountsAndBoundedRefusesExtraRelease() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ProcessSemaphore(-1));
        ProcessSemaphore s = new ProcessSemaphore(2);
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire(20, TimeUnit.MILLISECONDS));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            s.release();
        });
        t.start();
        s.acquire();
        t.join();
        ProcessBoundedSemaphore b = new ProcessBoundedSemaphore(1);
        assertThrows(IllegalStateException.class, b::release);
        b.acquire();
        b.release();
        assertEquals(1, b.availablePermits());
    }

    @Test
    void eventReleasesWaiters() throws Exception {
        ProcessEvent e = new ProcessEvent();
        assertFalse(e.await(Duration.ofMillis(10)));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException x) {
                return;
            }
            e.set();
        });
        t.start();
        e.await();
        assertTrue(e.isSet());
        e.clear();
        assertFalse(e.isSet());
        t.join();
    }

    @Test
    void barrierTripsRunsTheActionAndBreaksOnTimeout() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ProcessBarrier(0));
        AtomicInteger actions = new AtomicInteger();
        ProcessBarrier barrier = new ProcessBarrier(3);
        List<Thread> ts = new ArrayList<>();
        AtomicInteger passed = new AtomicInteger();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (int round = 0; round < 200; round++) {
                        barrier.await();
                        passed.incrementAndGet();
                    }
                } catch (Exception x) {
                    throw new RuntimeException(x);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(600, passed.get());
        assertThrows(TimeoutException.class, () -> barrier.await(20, TimeUnit.MILLISECONDS));
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
        assertEquals(0, actions.get());
    }
}
