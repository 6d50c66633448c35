package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Names, identities, the current and parent process, daemon rules, activeChildren: as Python has them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessTreeTest {
    @TempDir
    Path dir;

    @Test
    void mainProcessIsNamedMainProcessAndHasNoParent() {
        ChildProcess main = Multiprocessing.currentProcess();
        assertEquals("MainProcess", main.name());
        assertEquals(ProcessHandle.current().pid(), main.pid());
        assertTrue(main.isAlive());
        assertFalse(main.isDaemon());
        assertEquals(32, main.authKey().length);
        assertNull(Multiprocessing.parentProcess());
        assertTrue(Multiprocessing.cpuCount() >= 1);
    }

    @Test
    void childrenAreNumberedAndGrandchildrenCarryTheirParentsNumber() throws Exception {
        Path out = dir.resolve("names");
        String file = out.toString();
        ChildProcess child = new ChildProcess(() -> {
            ChildProcess grandchild = new ChildProcess(() -> { });
            Fixtures.append(Path.of(file), Multiprocessing.currentProcess().name() + " " + grandchild.name());
        });
        assertTrue(child.name().matches("ChildProcess-\\d+"), child.name());
        child.start();
        child.join();
        assertEquals(0, child.exitCode());
        String[] names = Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip().split(" ");
        assertEquals(child.name(), names[0]);
        assertEquals(child.name() + ":1", names[1]);
    }

    @Test
    void childSeesItsOwnIdentityAndItsParent() throws Exception {
        Path out = dir.resolve("identity");
        String file = out.toString();
        byte[] key = {1, 2, 3};
        ChildProcess child = new ChildProcess(() -> {
            ChildProcess self = Multiprocessing.currentProcess();
            ChildProcess parent = Multiprocessing.parentProcess();
            Fixtures.append(Path.of(file), self.name() + "|" + self.pid() + "|" + self.isDaemon() + "|"
                    + java.util.Arrays.toString(self.authKey()) + "|" + parent.name() + "|" + parent.pid() + "|"
                    + parent.isAlive() + "|" + self.isAlive());
        }, "named-child");
        child.setAuthKey(key);
        child.start();
        child.join();
        String[] f = Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip().split("\\|");
        assertEquals("named-child", f[0]);
        assertEquals(String.valueOf(child.pid()), f[1]);
        assertEquals("false", f[2]);
        assertEquals("[1, 2, 3]", f[3]);
        assertEquals("MainProcess", f[4]);
        assertEquals(String.valueOf(ProcessHandle.current().pid()), f[5]);
        assertEquals("true", f[6]);
        assertEquals("true", f[7]);
        assertArrayEquals(key, child.authKey());
    }

    @Test
    void childInheritsTheParentsAuthKey() {
        assertArrayEquals(Multiprocessing.currentProcess().authKey(), new ChildProcess(() -> { }).authKey());
        assertThrows(IllegalArgumentException.class, () -> new ChildProcess(() -> { }).setAuthKey(new byte[0]));
    }

    @Test
    void subclassTravelsWithItsFields() throws Exception {
        Path out = dir.resolve("clock");
        FieldProcess p = new FieldProcess(out.toString(), 42);
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals(p.name() + " 42", Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    static class FieldProcess extends ChildProcess {
        private final String file;
        private final int value;

        FieldProcess(String file, int value) {
            this.file = file;
            this.value = value;
        }

        @Override
        public void run() throws Exception {
            Fixtures.append(Path.of(file), Multiprocessing.currentProcess().name() + " " + value);
        }
    }

    @Test
    void daemonChildMayNotStartChildren() throws Exception {
        Path out = dir.resolve("daemon");
        String file = out.toString();
        ChildProcess p = new ChildProcess(() -> {
            try {
                new ChildProcess(() -> { }).start();
                Fixtures.append(Path.of(file), "started");
            } catch (IllegalStateException e) {
                Fixtures.append(Path.of(file), "refused: " + e.getMessage());
            }
        });
        p.setDaemon(true);
        p.start();
        p.join();
        assertTrue(Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).startsWith("refused: a daemon process"));
    }

    @Test
    void daemonFlagIsRefusedAfterStart() throws Exception {
        ChildProcess p = new ChildProcess(() -> { });
        p.start();
        assertThrows(IllegalStateException.class, () -> p.setDaemon(true));
        p.join();
    }

    @Test
    void activeChildrenListsRunningChildrenAndForgetsEndedOnes() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        List<ChildProcess> active = Multiprocessing.activeChildren();
        assertTrue(active.contains(p), active.toString());
        p.terminate();
        p.join();
        assertFalse(Multiprocessing.activeChildren().contains(p));
    }

    @Test
    void joinWithTimeoutReportsWhetherTheChildEnded() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        assertFalse(p.join(Duration.ofMillis(50)));
        assertNull(p.exitCode());
        p.kill();
        assertTrue(p.join(TestTimeouts.CHILD_STEP));
        assertEquals(p, p.onExit().get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void closeIsRefusedWhileRunningAndIdempotentAfter() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        assertThrows(IllegalStateException.class, p::close);
        p.kill();
        p.join();
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, p::start);
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, p::isAlive);
        assertThrows(IllegalStateException.class, p::terminate);
        assertEquals(-9, p.exitCode());
    }

    @Test
    void operationsBeforeStartAreRefused() {
        ChildProcess p = new ChildProcess(() -> { });
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, p::terminate);
        assertFalse(p.isAlive());
    }

    @Test
    void staticInitializersOfTheTaskSeeTheChildsNameAndParent() throws Exception {
        Path out = dir.resolve("static");
        ChildProcess p = new ChildProcess(StaticProbe.task(out.toString()), "probe-child");
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals("probe-child MainProcess", Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    /** Records, in its static initializer, what the current process is while the task is being received. */
    static final class StaticProbe {
        static final String SEEN = Multiprocessing.currentProcess().name() + " "
                + (Multiprocessing.parentProcess() == null ? "none" : Multiprocessing.parentProcess().name());

        static org.multiprocessing4j.function.SerializableRunnable task(String file) {
            return () -> Fixtures.append(Path.of(file), SEEN);
        }
    }

    @Test
    void noSecretIsOnTheChildsCommandLine() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.setAuthKey("a-key-nobody-may-see".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.start();
        try {
            String commandLine = ProcessHandle.of(p.pid()).orElseThrow().info().commandLine().orElseThrow();
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            assertFalse(commandLine.contains("a-key-nobody-may-see"), commandLine);
            assertFalse(commandLine.contains(b64.encodeToString(p.authKey())), commandLine);
            assertFalse(commandLine.contains(b64.encodeToString(Multiprocessing.currentProcess().authKey())),
                    commandLine);
            assertFalse(commandLine.contains(java.util.HexFormat.of().formatHex(p.authKey())), commandLine);
            assertTrue(commandLine.contains("org.multiprocessing4j.internal.child.ChildMain"), commandLine);
        } finally {
            p.kill();
            p.join();
        }
    }

    @Test
    void childStdinIsEmpty() throws Exception {
        Path out = dir.resolve("stdin");
        String file = out.toString();
        ChildProcess p = new ChildProcess(() -> Fixtures.append(Path.of(file), "read=" + System.in.read()));
        p.start();
        p.join();
        assertEquals("read=-1", Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    @Test
    void startMethodIsSetOnceUnlessForced() {
        StartMethod before = Multiprocessing.getStartMethod();
        assertEquals(List.of(StartMethod.PRESTART, StartMethod.SPAWN), Multiprocessing.getAllStartMethods());
        try {
            Multiprocessing.setStartMethod(before);
            StartMethod other = before == StartMethod.SPAWN ? StartMethod.PRESTART : StartMethod.SPAWN;
            assertThrows(IllegalStateException.class, () -> Multiprocessing.setStartMethod(other));
            Multiprocessing.setStartMethod(other, true);
            assertEquals(other, Multiprocessing.getStartMethod());
        } finally {
            Multiprocessing.setStartMethod(before, true);
        }
        assertTrue(Files.isDirectory(dir));
    }
}
