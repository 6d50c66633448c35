package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The process contract, run with every start method. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildProcessTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void targetRunsInAnotherJvmAndExitsWithZero(StartMethod method) throws Exception {
        Path out = dir.resolve("out");
        String file = out.toString();
        long parentPid = ProcessHandle.current().pid();
        ChildProcess p = Multiprocessing.getContext(method).process(() -> Fixtures.append(Path.of(file),
                "pid=" + ProcessHandle.current().pid() + " current=" + Multiprocessing.currentProcess().pid()));
        assertEquals(-1, p.pid());
        assertNull(p.exitCode());
        p.start();
        assertTrue(p.pid() > 0);
        assertNotEquals(parentPid, p.pid());
        p.join();
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertEquals("pid=" + p.pid() + " current=" + p.pid(), Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void uncaughtExceptionGivesExitCodeOne(StartMethod method) throws Exception {
        ChildProcess p = Multiprocessing.getContext(method).process(() -> {
            throw new IllegalStateException("boom from the child");
        });
        p.start();
        p.join();
        assertEquals(1, p.exitCode());
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void systemExitCodeIsReportedAsItIs(StartMethod method) throws Exception {
        ChildProcess p = Multiprocessing.getContext(method).process(() -> System.exit(143));
        p.start();
        p.join();
        assertEquals(143, p.exitCode());
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void terminateGivesMinusFifteen(StartMethod method) throws Exception {
        ChildProcess p = Multiprocessing.getContext(method).process(Fixtures::sleepForever);
        p.start();
        assertTrue(p.isAlive());
        p.terminate();
        p.join();
        assertEquals(-15, p.exitCode());
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void terminateRightAfterStartAlwaysReadsMinusFifteen(StartMethod method) throws Exception {
        for (int i = 0; i < 40; i++) {
            ChildProcess p = Multiprocessing.getContext(method).process(Fixtures::sleepForever);
            p.start();
            p.terminate();
            p.join();
            assertEquals(-15, p.exitCode(), "attempt " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void killGivesMinusNine(StartMethod method) throws Exception {
        ChildProcess p = Multiprocessing.getContext(method).process(Fixtures::sleepForever);
        p.start();
        p.kill();
        p.join();
        assertEquals(-9, p.exitCode());
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void secondStartIsRefused(StartMethod method) throws Exception {
        ChildProcess p = Multiprocessing.getContext(method).process(() -> { });
        p.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, p::start);
        assertTrue(e.getMessage().contains("cannot start a process twice"), e.getMessage());
        p.join();
    }

    @org.junit.jupiter.api.Test
    void theWarmUpProbeTakesNoNumberFromTheChildrenCount() {
        ChildProcess before = new ChildProcess(() -> { });
        ChildProcess probe = org.multiprocessing4j.internal.ProcessAccess.get().probe(() -> { }, "warmup");
        ChildProcess after = new ChildProcess(() -> { });
        assertEquals("warmup", probe.name());
        int n = Integer.parseInt(before.name().substring(before.name().lastIndexOf('-') + 1));
        assertEquals("ChildProcess-" + (n + 1), after.name());
    }
}
