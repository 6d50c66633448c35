package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;

/** The failure catalogue for pools: workers that die, time out, are cancelled, fail to initialize; parents that die. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolFailureTest {
    @TempDir
    Path dir;

    @Test
    void workerKilledFromOutsideFailsOnlyItsTaskAndIsReplaced() throws Exception {
        Path pidFile = dir.resolve("pid");
        String file = pidFile.toString();
        try (ProcessPool pool = new ProcessPool(1)) {
            CompletableFuture<Long> victim = pool.applyAsync(() -> PoolFixtures.announceAndSleep(file));
            CompletableFuture<Integer> queued = pool.applyAsync(() -> 7);
            long pid = Long.parseLong(PoolFixtures.awaitLine(pidFile, TestTimeouts.CHILD_STEP));
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            ExecutionException e = assertThrows(ExecutionException.class, victim::get);
            WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
            assertEquals(-9, lost.exitCode());
            assertEquals(9, lost.signal());
            assertEquals(pid, lost.pid());
            assertTrue(lost.getMessage().contains("apply#") && lost.getMessage().contains("signal=9"),
                    lost.getMessage());
            assertEquals(7, queued.get());
            assertTrue(pool.apply(PoolFixtures::pid) != pid);
            assertEquals(1, pool.workerStats().get(0).restarts());
        }
    }

    @Test
    void haltAndOutOfMemoryInAWorkerAreReportedWithTheExitCode() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmOptions("-Xmx48m").build()) {
            WorkerLostException halted = assertThrows(WorkerLostException.class, () -> pool.apply(() -> {
                Runtime.getRuntime().halt(7);
                return 0;
            }));
            assertEquals(7, halted.exitCode());
            WorkerLostException oom = assertThrows(WorkerLostException.class, () -> pool.apply(() -> {
                List<long[]> hog = new java.util.ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }));
            assertEquals(3, oom.exitCode());
            assertTrue(oom.getMessage().contains("OutOfMemoryError"), oom.getMessage());
            assertEquals(2, pool.apply(() -> 2));
        }
    }

    @Test
    void failingInitializerBreaksThePoolOnceWithItsCause() throws Exception {
        Path starts = dir.resolve("starts");
        String file = starts.toString();
        ProcessPool pool = ProcessPool.builder().processes(2).initializer(() -> {
            PoolFixtures.append(file, "init");
            throw new IllegalStateException("no database");
        }).build();
        try {
            CompletableFuture<Integer> pending = pool.applyAsync(() -> 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get());
            BrokenPoolException broken = assertInstanceOf(BrokenPoolException.class, e.getCause());
            assertTrue(broken.getMessage().contains("initializer") && broken.getMessage().contains("no database"),
                    broken.getMessage());
            assertInstanceOf(IllegalStateException.class, broken.getCause());
            assertThrows(BrokenPoolException.class, () -> pool.apply(() -> 2));
            assertTrue(pool.awaitTermination(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(Files.readAllLines(starts).size() <= 2, "no respawning: " + Files.readAllLines(starts));
        } finally {
            pool.close();
        }
    }

    @Test
    void timeOutKillsAndReplacesTheWorker() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            long before = pool.apply(PoolFixtures::pid);
            CompletableFuture<Long> slow = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return 0L;
            }, Duration.ofMillis(300));
            ExecutionException e = assertThrows(ExecutionException.class, slow::get);
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("time-out"), e.getCause().getMessage());
            PoolFixtures.awaitTrue(() -> PoolFixtures.dead(before), "timed-out worker killed");
            assertEquals(3, pool.apply(() -> 3));
        }
    }

    @Test
    void cancelRunningKillsTheWorkerAndCancelQueuedDropsTheTask() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path ran = dir.resolve("ran");
        String pidPath = pidFile.toString();
        String ranPath = ran.toString();
        try (ProcessPool pool = new ProcessPool(1)) {
            CompletableFuture<Long> running = pool.applyAsync(() -> PoolFixtures.announceAndSleep(pidPath));
            CompletableFuture<Integer> queued = pool.applyAsync(() -> {
                PoolFixtures.append(ranPath, "ran");
                return 1;
            });
            long pid = Long.parseLong(PoolFixtures.awaitLine(pidFile, TestTimeouts.CHILD_STEP));
            assertTrue(queued.cancel(false));
            assertTrue(running.cancel(true));
            assertThrows(CancellationException.class, running::get);
            PoolFixtures.awaitTrue(() -> PoolFixtures.dead(pid), "the cancelled task's worker killed");
            assertEquals(5, pool.apply(() -> 5));
            assertFalse(Files.exists(ran), "the cancelled queued task ran");
        }
    }

    @Test
    void maxTasksPerChildRecyclesWorkers() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).maxTasksPerChild(2).build()) {
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                pids.add(pool.apply(PoolFixtures::pid));
            }
            assertEquals(3, pids.size(), pids.toString());
            assertTrue(pool.workerStats().get(0).restarts() >= 2);
        }
    }

    @Test
    void closeAndTerminateLeaveNoWorker() throws Exception {
        ProcessPool pool = new ProcessPool(2);
        pool.map(PoolFixtures::inc, List.of(1, 2, 3, 4));
        List<Long> pids = pool.workerPids();
        assertEquals(2, pids.size());
        pool.close();
        assertTrue(pool.isTerminated());
        assertTrue(pids.stream().allMatch(PoolFixtures::dead), pids.toString());
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> pool.apply(() -> 1));

        ProcessPool busy = new ProcessPool(1);
        CompletableFuture<Integer> task = busy.applyAsync(() -> {
            Thread.sleep(60_000);
            return 1;
        });
        List<Long> busyPids = busy.workerPids();
        busy.terminate();
        busy.join();
        assertThrows(CancellationException.class, task::get);
        assertTrue(busyPids.stream().allMatch(PoolFixtures::dead), busyPids.toString());
        PoolFixtures.awaitTrue(() -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .noneMatch(n -> n.startsWith("mp4j-pool-") && (n.endsWith("-reader") || n.endsWith("-accept"))),
                "no reader or acceptor thread of a closed pool is left");
    }

    @Test
    void parentKilledTakesItsWorkersWithIt() throws Exception {
        Path pidFile = dir.resolve("workers");
        String file = pidFile.toString();
        ChildProcess parent = new ChildProcess(() -> {
            ProcessPool pool = new ProcessPool(2);
            pool.map(PoolFixtures::inc, List.of(1, 2, 3, 4), 1);
            PoolFixtures.append(file, pool.workerPids().toString().replaceAll("[\\[\\] ]", ""));
            Thread.sleep(60_000);
        });
        parent.start();
        String line = PoolFixtures.awaitLine(pidFile, TestTimeouts.CHILD_STEP);
        List<Long> workers = java.util.Arrays.stream(line.split(",")).map(Long::parseLong)
                .collect(java.util.stream.Collectors.toList());
        assertEquals(2, workers.size());
        parent.kill();
        parent.join();
        PoolFixtures.awaitTrue(() -> workers.stream().allMatch(PoolFixtures::dead), "workers ended with parent");
    }
}
