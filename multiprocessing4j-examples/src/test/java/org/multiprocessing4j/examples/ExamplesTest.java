package org.multiprocessing4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * Runs each example in this JVM with short intervals and checks what the parent prints and how its children ended.
 * The children's own lines go to the inherited stdout (fd 1), which {@code System.setOut} does not capture, so
 * their work is checked through their exit codes: 0 means the task returned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {
    private static final double SHORT = 0.05;

    private PrintStream original;
    private ByteArrayOutputStream captured;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(original);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void workerTimePrintsPidNameAndLivenessAndItsChildEndsNormally() throws Exception {
        // 5 lines 0.2 s apart: the child is still running when the parent prints p.is_alive
        List<ChildProcess> children = WorkerTime.run(0.2);

        ChildProcess p = children.get(0);
        assertEndedNormally(children);
        List<String> lines = lines();
        assertEquals(List.of("p.pid: " + p.pid(), "p.name: " + p.name(), "p.is_alive: true"), lines);
        assertTrue(p.name().matches("ChildProcess-\\d+"), p.name());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void threeWorkersListsItsRunningChildrenThenEndsAllThree() throws Exception {
        List<ChildProcess> children = ThreeWorkers.run(SHORT);

        assertEndedNormally(children);
        List<String> lines = lines();
        assertEquals("The number of CPU is:" + Multiprocessing.cpuCount(), lines.get(0));
        assertEquals("END!!!!!!!!!!!!!!!!!", lines.get(lines.size() - 1));
        // a child that has already ended is no longer active, so the listing holds at most the three children
        List<String> listed = lines.subList(1, lines.size() - 1);
        assertTrue(listed.size() <= 3, listed.toString());
        for (String line : listed) {
            assertTrue(children.stream().anyMatch(c -> line.equals("child   p.name:" + c.name() + "\tp.id" + c.pid())),
                    line);
        }
        assertTrue(Multiprocessing.activeChildren().isEmpty(), "children left running");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void clockProcessRunsItsOverriddenRunInTheChild() throws Exception {
        List<ChildProcess> children = ClockProcessExample.run(SHORT);

        assertEndedNormally(children);
        assertTrue(children.get(0) instanceof ClockProcess);
        assertTrue(children.get(0).pid() != ProcessHandle.current().pid());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void joinExampleContinuesOnlyAfterTheChildHasEnded() throws Exception {
        List<ChildProcess> children = JoinExample.run(0.5);

        assertEndedNormally(children);
        List<String> lines = lines();
        assertEquals("main: started worker (pid " + children.get(0).pid() + ")", lines.get(0));
        assertEquals("main: join(1 ms) -> false, p.is_alive: true", lines.get(1));
        assertEquals("main: after join(), p.is_alive: false, p.exitcode: 0", lines.get(3));
        assertEquals("main: continues", lines.get(4));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runAllRunsTheNamedExampleUnderItsHeader() throws Exception {
        RunAll.main(new String[] {"clockprocessexample", String.valueOf(SHORT)});

        assertEquals(List.of("== ClockProcessExample =="), lines());
        assertTrue(Multiprocessing.activeChildren().isEmpty(), "children left running");
        assertEquals(List.of("WorkerTime", "ThreeWorkers", "ClockProcessExample", "JoinExample", "QueueExample",
                "PipeExample", "LockExample", "SharedValueExample", "ManagerExample", "PoolExample"),
                List.copyOf(RunAll.EXAMPLES.keySet()));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void queueAndPipeCarryTheListFromTheChild() throws Exception {
        assertEquals(java.util.Arrays.asList(42, null, "hello"), QueueExample.run());
        assertEquals(java.util.Arrays.asList(42, null, "hello"), PipeExample.run());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void lockExampleRunsTenChildrenThatAllEndNormally() throws Exception {
        List<ChildProcess> children = LockExample.run();
        assertEquals(10, children.size());
        assertEndedNormally(children);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sharedValuesManagerAndPoolGiveWhatPythonsDocumentationShows() throws Exception {
        assertArrayEquals(new String[] {"3.1415927", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"},
                SharedValueExample.run());
        assertArrayEquals(new String[] {"{0.25=none, 1=1, 2=2}", "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"},
                ManagerExample.run());
        assertEquals(List.of(1, 4, 9), PoolExample.run());
    }

    @Test
    void clockPrintsTimeAsPythonsCtime() {
        assertTrue(Clock.ctime().matches("[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"),
                Clock.ctime());
        assertEquals(2.5, Clock.seconds(new String[] {"2.5"}, 1));
        assertEquals(1.0, Clock.seconds(new String[0], 1));
        assertNull(RunAll.findName("nosuch"));
        assertEquals("WorkerTime", RunAll.findName("workertime"));
    }

    private static void assertEndedNormally(List<ChildProcess> children) {
        for (ChildProcess c : children) {
            assertFalse(c.isAlive(), c.toString());
            assertEquals(0, c.exitCode(), c.toString());
        }
    }

    private List<String> lines() {
        System.out.flush();
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Writes to two streams: the console keeps the example's output, the buffer lets the test read it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) {
            write(new byte[] {(byte) x}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) {
            ((PrintStream) a).write(bytes, off, len);
            try {
                b.write(bytes, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            ((PrintStream) a).flush();
        }
    }
}
