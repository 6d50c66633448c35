package org.multiprocessing4j.internal.pool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The watch takes held replies out only from a task that runs past the hold, and the worker waits until it has. */
class ReplyWatchTest {
    @Test
    void aQuickTaskKeepsItsRepliesAndASlowOneHasThemSentFromTheWatchThread() throws Exception {
        AtomicInteger released = new AtomicInteger();
        AtomicReference<Thread> releasedOn = new AtomicReference<>();
        ReplyWatch watch = new ReplyWatch(() -> {
            releasedOn.set(Thread.currentThread());
            released.incrementAndGet();
        });
        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            assertTrue(watch.arm());
            if (watch.disarm()) {
                taken++; // a quick task may still be preempted past the hold now and then
            }
        }
        assertTrue(taken < 100, "quick tasks whose replies the watch sent: " + taken);
        released.set(0);
        for (int i = 0; i < 3; i++) {
            watch.arm();
            Thread.sleep(20);
            assertTrue(watch.disarm(), "a task of 20 ms has its held replies sent");
            assertEquals(i + 1, released.get());
        }
        assertNotSame(Thread.currentThread(), releasedOn.get());
    }

    @Test
    void theWorkerWaitsForAReleaseUnderWayBeforeItTouchesTheReplies() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        ReplyWatch watch = new ReplyWatch(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.set(true);
        });
        watch.arm();
        Thread.sleep(5);
        assertTrue(watch.disarm());
        assertTrue(done.get(), "disarm returned while the release still ran");
        done.set(false);
        watch.arm();
        assertFalse(watch.disarm());
        assertFalse(done.get());
    }
}
