package org.multiprocessing4j.internal.resource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Liveness by pid and start time, and the answers an exit hook remembers while it runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessIdentityTest {
    @Test
    void aProcessIsAliveUntilItEndsAndAnotherStartTimeIsAnotherProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long start = ProcessIdentity.startMillis(p.toHandle());
            assertTrue(ProcessIdentity.isAlive(p.pid(), start));
            assertTrue(ProcessIdentity.isAlive(p.pid(), 0), "start 0 matches any process with the pid");
            assertFalse(ProcessIdentity.isAlive(p.pid(), start - 60_000), "a start a minute earlier");
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertFalse(ProcessIdentity.isAlive(p.pid(), 0));
        assertFalse(ProcessIdentity.isAlive(0, 0));
    }

    @Test
    void answersAreRememberedOnlyWhileTheBodyRuns() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        long start = ProcessIdentity.startMillis(p.toHandle());
        boolean[] seen = new boolean[2];
        try {
            ProcessIdentity.rememberingLiveness(() -> {
                seen[0] = ProcessIdentity.isAlive(p.pid(), start);
                try {
                    p.destroyForcibly().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen[1] = ProcessIdentity.isAlive(p.pid(), start); // the answer of a moment ago
            });
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(seen[0]);
        assertTrue(seen[1], "remembered within the body");
        assertFalse(ProcessIdentity.isAlive(p.pid(), start), "asked again once the body has returned");
    }
}
