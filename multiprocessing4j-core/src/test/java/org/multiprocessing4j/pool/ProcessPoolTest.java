package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableRunnable;

/** The pool's API against one shared pool of two workers (its JVMs are reused across the tests). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolTest {
    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ProcessPool(2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
        assertTrue(pool.isTerminated());
    }

    @Test
    void applyRunsTheTaskInAWorkerProcess() throws Exception {
        long self = ProcessHandle.current().pid();
        long worker = pool.apply(PoolFixtures::pid);
        assertNotEquals(self, worker);
        assertTrue(pool.workerPids().contains(worker), pool.workerPids() + " " + worker);
        int captured = 41;
        assertEquals(42, pool.applyAsync(() -> captured + 1).get());
    }

    @Test
    void mapKeepsTheOrderWithDefaultAndExplicitChunks() {
        List<Integer> items = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
        List<Integer> expected = items.stream().map(x -> x + 1).collect(Collectors.toList());
        assertEquals(expected, pool.map(PoolFixtures::inc, items));
        assertEquals(expected, pool.map(PoolFixtures::inc, items, 1));
        assertEquals(expected, pool.map(PoolFixtures::inc, items, 333));
        assertEquals(List.of("A", "B"), pool.map(String::toUpperCase, List.of("a", "b")));
        assertEquals(List.of(), pool.map(PoolFixtures::inc, List.of()));
    }

    @Test
    void mapReturnsAMutableListWhateverKindsItsChunksReturn() {
        List<Integer> items = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Object> expected = new ArrayList<>();
        for (int x : items) {
            expected.add(PoolFixtures.mixed(x));
        }
        List<Object> results = pool.map(PoolFixtures::mixed, items, 10);
        assertEquals(expected, results);
        assertEquals(expected, pool.map(PoolFixtures::mixed, items, 1));
        results.set(0, "changed");
        results.add(-1);
        results.remove(50);
        expected.set(0, "changed");
        expected.add(-1);
        expected.remove(50);
        assertEquals(expected, results);
    }

    @Test
    void mapAsyncCompletesWithAllResults() throws Exception {
        CompletableFuture<List<Long>> f = pool.mapAsync(x -> (long) x * x, List.of(1, 2, 3), 2);
        assertEquals(List.of(1L, 4L, 9L), f.get());
    }

    @Test
    void imapReadsAnEndlessInputLazilyAndInOrder() {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                read.incrementAndGet();
                return next++;
            }
        };
        Iterator<Integer> results = pool.imap(PoolFixtures::inc, endless, 3);
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1, results.next());
        }
        assertTrue(read.get() < 200 + 1000, "read ahead without bound: read=" + read.get());
    }

    @Test
    void imapUnorderedReturnsEveryResult() {
        List<Integer> items = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Integer> out = new ArrayList<>();
        pool.imapUnordered(PoolFixtures::inc, items).forEachRemaining(out::add);
        out.sort(null);
        assertEquals(items.stream().map(x -> x + 1).collect(Collectors.toList()), out);
        Iterator<Integer> none = pool.imap(PoolFixtures::inc, List.of());
        assertFalse(none.hasNext());
    }

    @Test
    void starmapTakesAnyEntriesIncludingMapEntry() {
        List<Map.Entry<Integer, String>> items = List.of(Map.entry(2, "a"), Map.entry(3, "b"),
                new java.util.AbstractMap.SimpleEntry<>(1, "c"));
        assertEquals(List.of("aa", "bbb", "c"), pool.starmap((n, s) -> s.repeat(n), items));
    }

    @Test
    void badArgumentsAreRefusedInTheCallerChunksizeAndTimeOutFirst() {
        List<Integer> items = List.of(1, 2, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pool.map(PoolFixtures::inc, items, -1))
                .getMessage().contains("chunksize=-1"));
        assertThrows(IllegalArgumentException.class, () -> pool.imap(PoolFixtures::inc, items, -1));
        assertThrows(IllegalArgumentException.class, () -> pool.imapUnordered(PoolFixtures::inc, items, -1));
        assertThrows(IllegalArgumentException.class, () -> pool.starmapAsync((Integer a, Integer b) -> a + b,
                List.of(Map.entry(1, 2)), -1));
        assertThrows(IllegalArgumentException.class, () -> pool.mapAsync(null, null, -1));
        assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(() -> 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(null, Duration.ofMillis(-1)));
        assertEquals("fn", assertThrows(NullPointerException.class, () -> pool.map(null, items)).getMessage());
        assertEquals("items", assertThrows(NullPointerException.class,
                () -> pool.imap(PoolFixtures::inc, null)).getMessage());
        assertEquals("task", assertThrows(NullPointerException.class, () -> pool.applyAsync(null)).getMessage());
        assertEquals("task", assertThrows(NullPointerException.class,
                () -> pool.submit((SerializableRunnable) null, "x")).getMessage());
        assertEquals(List.of(2, 3, 4), pool.map(PoolFixtures::inc, items));
    }

    @Test
    void submitInvokeAllAndInvokeAnyWorkThroughAnExecutorServiceReference() throws Exception {
        assertEquals(5, pool.submit(() -> 5).get());
        SerializableRunnable noop = () -> { };
        assertEquals(null, pool.submit(noop).get());
        assertEquals("done", pool.submit(noop, "done").get());
        ExecutorService executor = pool;
        List<SerializableCallable<Integer>> calls = List.of(() -> 1, () -> 2, () -> 3);
        List<Future<Integer>> futures = executor.invokeAll(calls);
        List<Integer> values = new ArrayList<>();
        for (Future<Integer> f : futures) {
            values.add(f.get());
        }
        assertEquals(List.of(1, 2, 3), values);
        int any = executor.invokeAny(calls);
        assertTrue(any >= 1 && any <= 3, String.valueOf(any));
    }

    @Test
    void plainCallableIsRefusedAtSubmissionWithAMessageThatSaysWhatToDo() {
        ExecutorService executor = pool;
        Callable<Integer> plain = () -> 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> executor.submit(plain));
        assertTrue(e.getMessage().contains("not serializable") && e.getMessage().contains("SerializableCallable"),
                e.getMessage());
        Runnable plainRunnable = () -> { };
        assertThrows(IllegalArgumentException.class, () -> executor.execute(plainRunnable));
        java.io.ByteArrayOutputStream notSerializable = new java.io.ByteArrayOutputStream();
        IllegalArgumentException captured = assertThrows(IllegalArgumentException.class,
                () -> pool.apply(() -> notSerializable.size()));
        assertTrue(captured.getMessage().contains("java.io.ByteArrayOutputStream"), captured.getMessage());
    }

    @Test
    void workerExceptionsReachTheCallerWithTypeMessageAndTheWorkersStackTrace() {
        IllegalArgumentException unchecked = assertThrows(IllegalArgumentException.class,
                () -> pool.apply(() -> {
                    throw new IllegalArgumentException("bad value 7");
                }));
        assertEquals("bad value 7", unchecked.getMessage());
        assertTrue(Arrays.stream(unchecked.getStackTrace()).anyMatch(f -> f.getClassName().contains("WorkerSession")),
                "the worker's stack trace: " + Arrays.toString(unchecked.getStackTrace()));
        CompletionException checked = assertThrows(CompletionException.class, () -> pool.apply(() -> {
            throw new IOException("disk on fire");
        }));
        assertInstanceOf(IOException.class, checked.getCause());
        assertEquals("disk on fire", checked.getCause().getMessage());
        ExecutionException viaFuture = assertThrows(ExecutionException.class,
                () -> pool.submit(() -> Integer.parseInt("x")).get());
        assertInstanceOf(NumberFormatException.class, viaFuture.getCause());
    }

    @Test
    void mapSaysWhichItemFailed() {
        List<Integer> items = IntStream.range(0, 50).boxed().collect(Collectors.toList());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> pool.map(x -> 10 / (x - 37), items, 4));
        String suppressed = Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).collect(Collectors.joining());
        assertTrue(suppressed.contains("index=37") && suppressed.contains("value=37"), suppressed);
    }

    @Test
    void progressIsReportedAndWorkersCountTheirTasks() {
        List<Progress> seen = new ArrayList<>();
        List<Integer> items = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        pool.map(PoolFixtures::inc, items, 10, p -> {
            synchronized (seen) {
                seen.add(p);
            }
        });
        Progress last = seen.get(seen.size() - 1);
        assertEquals(100, last.done());
        assertEquals(100, last.total());
        assertTrue(last.finished());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        new org.multiprocessing4j.internal.pool.ProgressBar(new java.io.PrintStream(bytes, true)).accept(last);
        assertTrue(bytes.toString().contains("100/100 100%"), bytes.toString());
        List<WorkerStats> stats = pool.workerStats();
        assertEquals(2, stats.size());
        assertTrue(stats.stream().mapToLong(WorkerStats::tasksDone).sum() >= 10, stats.toString());
    }

    @Test
    void serializableRunnableClassesRunThroughExecuteAndTheTimeOutOnlyLimitsSlowTasks(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ran");
        pool.execute(new Append(out.toString(), "executed"));
        assertEquals("ok", pool.submit(new Append(out.toString(), "submitted"), "ok").get());
        PoolFixtures.awaitTrue(() -> lines(out).size() == 2, "both runnables ran: " + lines(out));
        assertEquals(7, pool.applyAsync(() -> 7, Duration.ofSeconds(30)).get());
        assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(() -> 7, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pool.map(PoolFixtures::inc, List.of(1), -1));
    }

    @Test
    void bigChunksInADeepPipelineNeverDeadlock() {
        // 150 chunks of 8,000 items (32 KB out, 64 KB back): with dozens of chunks pipelined per worker both socket
        // buffers fill up, and a worker that stopped reading while it waited to write would hang the pool
        int n = 1_200_000;
        List<Integer> items = new java.util.AbstractList<>() {
            @Override
            public Integer get(int index) {
                return index;
            }

            @Override
            public int size() {
                return n;
            }
        };
        for (int round = 0; round < 3; round++) {
            List<Long> out = pool.map(x -> 3L * x, new ArrayList<>(items), 8_000);
            assertEquals(n, out.size());
            assertEquals(3L * (n - 1), out.get(n - 1));
        }
    }

    @Test
    void imapUnorderedReportsProgressWithAnUnknownTotal() {
        List<Progress> seen = new ArrayList<>();
        Iterable<Integer> items = () -> IntStream.range(0, 50).iterator();
        Iterator<Integer> it = pool.imapUnordered(PoolFixtures::inc, items, 5, p -> {
            synchronized (seen) {
                seen.add(p);
            }
        });
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        assertEquals(50, n);
        Progress last = seen.get(seen.size() - 1);
        assertEquals(50, last.done());
        assertTrue(last.finished(), last.toString());
        assertEquals(-1, seen.get(0).total());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A runnable class that is serializable, as an ExecutorService caller might pass. */
    static final class Append implements Runnable, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String line;

        Append(String file, String line) {
            this.file = file;
            this.line = line;
        }

        @Override
        public void run() {
            try {
                PoolFixtures.append(file, line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
