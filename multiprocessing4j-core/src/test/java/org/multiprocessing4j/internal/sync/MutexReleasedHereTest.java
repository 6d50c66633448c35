package org.multiprocessing4j.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.memory.Segments;

/** Mutex.tryLockReleasedHere: it locks only a free lock that this process released last. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutexReleasedHereTest {
    private static final int KIND = 0x4d52_4854;
    private static final long SIZE = Mutex.BYTES;

    /** A child's body: lock and unlock the mutex once. */
    static void lockAndUnlockInChild(String name) {
        Mutex m = new Mutex(Segments.attachShared(name, KIND, SIZE), 0, false);
        m.lock();
        m.unlock();
    }

    @Test
    void locksOnlyAFreeLockThatThisProcessReleasedLast() throws Exception {
        Segment seg = Segments.createShared(SIZE, KIND);
        Mutex m = new Mutex(seg, 0, false);
        assertFalse(m.tryLockReleasedHere(), "a lock never used was not released here");
        m.lock();
        assertFalse(m.tryLockReleasedHere(), "held");
        m.unlock();
        assertTrue(m.tryLockReleasedHere());
        assertTrue(m.isHeldByCurrentThread());
        assertFalse(CompletableFuture.supplyAsync(m::tryLockReleasedHere).get(), "held by another thread");
        m.unlock();
        assertTrue(CompletableFuture.supplyAsync(() -> {
            boolean locked = m.tryLockReleasedHere(); // another thread of this process released it last: still here
            if (locked) {
                m.unlock();
            }
            return locked;
        }).get());

        String name = seg.name();
        ChildProcess child = new ChildProcess(() -> lockAndUnlockInChild(name));
        child.start();
        assertTrue(child.join(TestTimeouts.CHILD_STEP.multipliedBy(3)), "child did not end");
        assertEquals(0, child.exitCode());
        assertFalse(m.isLocked());
        assertFalse(m.tryLockReleasedHere(), "the child released it last");
        m.lock();
        m.unlock();
        assertTrue(m.tryLockReleasedHere());
        m.unlock();
    }
}
