package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Small chunks travel several to a frame (CHUNKS) and their results several to a frame (RESULTS), yet every chunk
 * stays a task of its own: counted, answered, failed, dropped and lost on its own. A reply out of order would be a
 * protocol error, for which the pool kills the worker: so no test here may see a restart it did not cause.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolBatchingTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static long tasksDone(ProcessPool pool) {
        return pool.workerStats().stream().mapToLong(WorkerStats::tasksDone).sum();
    }

    private static int restarts(ProcessPool pool) {
        return pool.workerStats().stream().mapToInt(WorkerStats::restarts).sum();
    }

    private static void awaitIdle(ProcessPool pool) throws InterruptedException {
        PoolFixtures.awaitTrue(() -> pool.workerStats().stream().allMatch(s -> s.running() == 0),
                "every task answered: " + pool.workerStats());
    }

    static int slow(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return -1;
    }

    static int quickThenSlow(int x) throws InterruptedException {
        return x == 50 ? slow(4000) : x + 1;
    }

    /**
     * A worker holds the replies of quick tasks back to send several at once; a slow task after them must not hold
     * them back too: the items before a slow one are delivered while it runs.
     */
    @Test
    void anImapDeliversTheItemsBeforeASlowOneWhileItRuns() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            pool.map(PoolFixtures::inc, range(1000), 1);
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                Iterator<Integer> it = pool.imap(PoolBatchingTest::quickThenSlow, range(100), 1);
                for (int i = 0; i < 50; i++) {
                    assertEquals(i + 1, it.next());
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 3000, "the 50 quick items came after " + millis + " ms, behind the slow one");
                assertEquals(-1, it.next());
                while (it.hasNext()) {
                    it.next();
                }
            }
        }
    }

    @Test
    void aChunkSizeOneMapIsOneTaskPerItemInEveryFigure() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            for (int round = 0; round < 3; round++) {
                List<Integer> out = pool.map(x -> 2 * x, range(3000), 1);
                assertEquals(range(3000).stream().map(x -> 2 * x).collect(Collectors.toList()), out);
            }
            awaitIdle(pool);
            assertEquals(9000, tasksDone(pool), pool.workerStats().toString());
            assertEquals(0, restarts(pool), pool.workerStats().toString());
        }
    }

    @Test
    void anItemThatFailsInsideABatchFailsTheMapByNameAndTheRestAreDroppedInOrder() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.map(PoolFixtures::inc, range(500), 1);
            for (int round = 0; round < 3; round++) {
                int bad = 1000 + 700 * round;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.map(x -> {
                    if (x == bad) {
                        throw new IllegalStateException("bad item");
                    }
                    return x;
                }, range(4000), 1));
                String suppressed = Arrays.stream(e.getSuppressed()).map(Throwable::getMessage)
                        .collect(Collectors.joining());
                assertTrue(suppressed.contains("index=" + bad) && suppressed.contains("value=" + bad), suppressed);
                awaitIdle(pool);
                assertEquals(0, restarts(pool), "the cancelled chunks' DROPPED came in order: " + pool.workerStats());
            }
            assertEquals(range(2000).stream().map(x -> x + 1).collect(Collectors.toList()),
                    pool.map(PoolFixtures::inc, range(2000), 1));
        }
    }

    @Test
    void imapOfSingleItemsDeliversEveryItemBeforeTheOneThatFailed() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            Iterator<Integer> it = pool.imap(x -> {
                if (x == 1500) {
                    throw new IllegalArgumentException("item 1500");
                }
                return x * 3;
            }, range(3000), 1);
            List<Integer> got = new ArrayList<>();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                while (it.hasNext()) {
                    got.add(it.next());
                }
            });
            assertTrue(e.getMessage().contains("item 1500"), e.getMessage());
            assertEquals(range(1500).stream().map(x -> x * 3).collect(Collectors.toList()), got);
            awaitIdle(pool);
            assertEquals(0, restarts(pool), pool.workerStats().toString());
        }
    }

    @Test
    void aWorkerThatDiesInsideABatchLosesOnlyTheItemItRan() throws Exception {
        try (ProcessPool pool = new ProcessPool(2)) {
            pool.map(PoolFixtures::inc, range(500), 1);
            WorkerLostException lost = assertThrows(WorkerLostException.class, () -> pool.map(x -> {
                if (x == 2345) {
                    Runtime.getRuntime().halt(7);
                }
                return x;
            }, range(4000), 1));
            assertEquals(7, lost.exitCode());
            assertTrue(lost.getMessage().contains("items 2345..2345"), lost.getMessage());
            PoolFixtures.awaitTrue(() -> restarts(pool) == 1, "the worker replaced: " + pool.workerStats());
            assertEquals(range(3000), pool.map(x -> x, range(3000), 1));
            assertEquals(1, restarts(pool), pool.workerStats().toString());
        }
    }

    @Test
    void aCallableThatKillsItsWorkerAfterABurstOfQuickOnesIsTheOneReportedLost() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            for (int round = 0; round < 3; round++) {
                List<java.util.concurrent.CompletableFuture<Integer>> before = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int x = i;
                    before.add(pool.submit(() -> x + 1));
                }
                java.util.concurrent.CompletableFuture<Integer> killer = pool.submit(() -> {
                    Runtime.getRuntime().halt(9);
                    return -1;
                });
                List<java.util.concurrent.CompletableFuture<Integer>> after = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int x = i;
                    after.add(pool.submit(() -> -x));
                }
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        killer::get);
                WorkerLostException lost = org.junit.jupiter.api.Assertions.assertInstanceOf(WorkerLostException.class,
                        e.getCause());
                assertEquals(9, lost.exitCode());
                for (int i = 0; i < 200; i++) {
                    assertEquals(i + 1, before.get(i).get(), "quick task " + i + " of round " + round);
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals(-i, after.get(i).get());
                }
                assertEquals(round + 1, restarts(pool));
            }
        }
    }
}
