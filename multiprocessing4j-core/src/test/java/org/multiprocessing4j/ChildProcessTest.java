package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildProcessTest {
    @TempDir
    Path dir;

    @Test
    void targetRunsInAnotherJvmAndExitsWithZero() throws Exception {
        Path out = dir.resolve("out");
        String file = out.toString();
        long parentPid = ProcessHandle.current().pid();
        ChildProcess p = new ChildProcess(() -> Fixtures.append(Path.of(file), "pid=" + ProcessHandle.current().pid()));
        assertEquals(-1, p.pid());
        assertNull(p.exitCode());
        p.start();
        assertTrue(p.pid() > 0);
        assertNotEquals(parentPid, p.pid());
        p.join();
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertEquals("pid=" + p.pid(), Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    @Test
    void uncaughtExceptionGivesExitCodeOne() throws Exception {
        ChildProcess p = new ChildProcess(() -> {
            throw new IllegalStateException("boom from the child");
        });
        p.start();
        p.join();
        assertEquals(1, p.exitCode());
    }

    @Test
    void systemExitCodeIsReportedAsItIs() throws Exception {
        ChildProcess p = new ChildProcess(() -> System.exit(143));
        p.start();
        p.join();
        assertEquals(143, p.exitCode());
    }

    @Test
    void terminateGivesMinusFifteen() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        assertTrue(p.isAlive());
        p.terminate();
        p.join();
        assertEquals(-15, p.exitCode());
    }

    @Test
    void killGivesMinusNine() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        p.kill();
        p.join();
        assertEquals(-9, p.exitCode());
    }

    @Test
    void secondStartIsRefused() throws Exception {
        ChildProcess p = new ChildProcess(() -> { });
        p.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::start);
        assertTrue(e.getMessage().contains("cannot start a process twice"), e.getMessage());
        p.join();
    }
}
