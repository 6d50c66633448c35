package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, refusals and broken launches (DESIGN.md's failure catalogue, the process part). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FailureCatalogueTest {
    @TempDir
    Path dir;

    @Test
    void targetThatCannotBeSerializedFailsAtStartNamingTheClass() {
        ByteArrayOutputStream notSerializable = new ByteArrayOutputStream();
        ChildProcess p = new ChildProcess(() -> notSerializable.write(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::start);
        assertTrue(e.getMessage().contains("java.io.ByteArrayOutputStream"), e.getMessage());
        assertEquals(-1, p.pid());
    }

    @Test
    void badJvmOptionGivesTheChildsStderrAndLeavesNothing() throws Exception {
        List<ProcessHandle> before = children();
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withJvmOptions("-XX:+NoSuchOptionAtAll");
        ChildProcess p = ctx.process(() -> { });
        ProcessStartException e = assertThrows(ProcessStartException.class, p::start);
        assertTrue(e.getMessage().contains("NoSuchOptionAtAll"), e.getMessage());
        assertTrue(e.getMessage().contains("exited before connecting back"), e.getMessage());
        awaitTrue(() -> leftBehind(before, "NoSuchOptionAtAll").isEmpty(), "the failed JVM is gone");
    }

    @Test
    void badJvmOptionIsReportedByThePrestartMethodToo() {
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART).withJvmOptions("-XX:+NoSuchOptionAtAll");
        for (int i = 0; i < 2; i++) {
            ProcessStartException e = assertThrows(ProcessStartException.class, () -> ctx.process(() -> { }).start());
            assertTrue(e.getMessage().contains("NoSuchOptionAtAll"), e.getMessage());
        }
    }

    @Test
    void missingJavaExecutableIsReported() {
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withJavaExecutable(dir.resolve("no-java"));
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> ctx.process(() -> { }).start());
        assertTrue(e.getMessage().contains("no-java"), e.getMessage());
    }

    @Test
    void childThatNeverConnectsIsReportedAfterTheTimeoutAndKilled() throws Exception {
        Path fakeJava = dir.resolve("java-that-hangs");
        Files.writeString(fakeJava, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
        List<ProcessHandle> before = children();
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withJavaExecutable(fakeJava)
                .withStartTimeout(Duration.ofMillis(500));
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> ctx.process(() -> { }).start());
        assertTrue(e.getMessage().contains("did not connect back within 500 ms"), e.getMessage());
        awaitTrue(() -> leftBehind(before, "sleep").isEmpty(), "the hung launch is gone");
    }

    @Test
    void outsideKillNineReadsAsMinusNine() throws Exception {
        ChildProcess p = new ChildProcess(Fixtures::sleepForever);
        p.start();
        new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
        p.join();
        assertEquals(-9, p.exitCode());
    }

    @Test
    void haltWithAnOrdinaryCodeIsReportedAsItIs() throws Exception {
        ChildProcess p = new ChildProcess(() -> Runtime.getRuntime().halt(3));
        p.start();
        p.join();
        assertEquals(3, p.exitCode());
    }

    @Test
    void parentKilledTakesItsDaemonChildAndHelperJvmsWithItWhileNonDaemonChildrenGoOn() throws Exception {
        Path pids = dir.resolve("pids");
        Path survivor = dir.resolve("survivor");
        String pidFile = pids.toString();
        String survivorFile = survivor.toString();
        ChildProcess parent = new ChildProcess(() -> {
            ChildProcess daemon = new ChildProcess(Fixtures::sleepForever);
            daemon.setDaemon(true);
            daemon.start();
            ChildProcess nonDaemon = new ChildProcess(() -> {
                Thread.sleep(1500);
                Fixtures.append(Path.of(survivorFile), "outlived=" + !Multiprocessing.parentProcess().isAlive());
            });
            nonDaemon.start();
            Fixtures.append(Path.of(pidFile), daemon.pid() + " " + nonDaemon.pid());
            Fixtures.sleepForever();
        });
        parent.start();
        String[] started = Fixtures.awaitLines(pids, 1, TestTimeouts.CHILD_STEP).strip().split(" ");
        long daemonPid = Long.parseLong(started[0]);
        long nonDaemonPid = Long.parseLong(started[1]);
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        List<ProcessHandle> helpers = ProcessHandle.of(parent.pid()).orElseThrow().descendants()
                .filter(h -> h.pid() != nonDaemonPid).collect(Collectors.toList());
        assertTrue(helpers.stream().anyMatch(h -> h.pid() == daemonPid), helpers.toString());
        parent.kill();
        parent.join();
        assertEquals(-9, parent.exitCode());
        awaitTrue(() -> helpers.stream().noneMatch(ProcessHandle::isAlive), "daemon child and helper JVMs ended");
        assertEquals("outlived=true", Fixtures.awaitLines(survivor, 1, TestTimeouts.CHILD_STEP).strip());
    }

    @Test
    void mainProgramWaitsForNonDaemonChildrenAndEndsDaemonOnes() throws Exception {
        Path out = dir.resolve("exit");
        String file = out.toString();
        ChildProcess main = new ChildProcess(() -> {
            ChildProcess daemon = new ChildProcess(Fixtures::sleepForever);
            daemon.setDaemon(true);
            daemon.start();
            ChildProcess worker = new ChildProcess(() -> {
                Thread.sleep(500);
                Fixtures.append(Path.of(file), "worker done");
            });
            worker.start();
            Fixtures.append(Path.of(file), "daemon " + daemon.pid());
        });
        main.start();
        main.join();
        assertEquals(0, main.exitCode());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.contains("worker done"), lines.toString());
        long daemonPid = Long.parseLong(lines.stream().filter(l -> l.startsWith("daemon")).findFirst()
                .orElseThrow().substring(7));
        awaitTrue(() -> ProcessHandle.of(daemonPid).map(h -> !h.isAlive()).orElse(true), "daemon child ended");
    }

    @Test
    void ctrlCEndsTheProgramWhileChildrenRunAndTakesTheDaemonChildWithIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process program = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SleepingParentMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        program.getOutputStream().close();
        String line = new BufferedReader(new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertTrue(line != null && line.startsWith("pids "), String.valueOf(line));
        String[] pids = line.split(" ");
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(pids[1])).orElseThrow();
        ProcessHandle worker = ProcessHandle.of(Long.parseLong(pids[2])).orElseThrow();
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(program.pid())).start().waitFor();
            assertTrue(program.waitFor(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS),
                    "the program did not end on SIGINT");
            assertEquals(130, program.exitValue());
            awaitTrue(() -> !daemon.isAlive(), "the daemon child ended with its parent");
            assertTrue(worker.isAlive(), "a non-daemon child outlives a parent that was interrupted");
        } finally {
            worker.destroyForcibly();
            program.destroyForcibly();
        }
    }

    @Test
    void supervisorThreadEndsWithItsChild() throws Exception {
        ChildProcess p = new ChildProcess(() -> { }, "thread-check");
        p.start();
        p.join();
        p.close();
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("mp4j-supervisor-thread-check")), "no supervisor thread left");
        assertEquals(0, p.exitCode());
    }

    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    /**
     * The children started since {@code before} whose command line contains {@code marker}: the launch under test,
     * and not a ready JVM that another test's start() has the pool launch in the background meanwhile.
     */
    private static List<ProcessHandle> leftBehind(List<ProcessHandle> before, String marker) {
        return children().stream().filter(h -> !before.contains(h))
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(true))
                .collect(Collectors.toList());
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TestTimeouts.PARENT_DEATH_NOTICED.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TestTimeouts.PARENT_DEATH_NOTICED + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
