package org.multiprocessing4j.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multiprocessing4j.TestTimeouts;

/**
 * The {@link java.util.concurrent.BlockingQueue} contract of the process queues, written once and run with the other
 * party in this JVM (a thread with its own deserialized copies) and in a child JVM.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QueueContractTest {
    static final int MIB = 1 << 20;

    /** A user type that travels by JDK serialization. */
    record Point(int x, String label) implements Serializable {
    }

    /** Bytes whose content tells their length and seed apart. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 16));
        }
        return b;
    }

    static List<Object> mixedItems() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(i);
        }
        items.addAll(List.of("", "héllo", 7L, 2.5, true, List.of(1, "two"), Map.of("k", 3), new Point(4, "p")));
        items.add(new byte[0]);
        items.add(pattern(1, 1));
        items.add(pattern(1024, 2));
        items.add(pattern(3 * MIB, 3)); // larger than the inline limit: a side segment
        items.add(pattern(300_000, 4));
        return items;
    }

    static void assertItemEquals(Object expected, Object got) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) got);
        } else {
            assertEquals(expected, got);
        }
    }

    /** A class loader that delegates to the test's and records what it was asked for. */
    static final class RecordingLoader extends ClassLoader {
        final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingLoader() {
            super(QueueContractTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    @org.junit.jupiter.api.Test
    void takeAndPeekResolveAnObjectsClassThroughTheTakingThreadsContextLoader() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        try {
            q.put(7);
            q.put(new Point(1, "a"));
            q.put(new Point(2, "b"));
            self.setContextClassLoader(new RecordingLoader());
            assertEquals(7, q.take());
            // a loader asked once for a class is not asked again (the JVM caches it): a fresh one for each step
            for (String step : List.of("peek", "take", "poll")) {
                RecordingLoader loader = new RecordingLoader();
                self.setContextClassLoader(loader);
                Object got = step.equals("peek") ? q.peek() : step.equals("take") ? q.take()
                        : q.poll(1, TimeUnit.SECONDS);
                assertEquals(new Point(step.equals("poll") ? 2 : 1, step.equals("poll") ? "b" : "a"), got);
                assertTrue(loader.asked.contains(Point.class.getName()), step + " asked " + loader.asked);
            }
        } finally {
            self.setContextClassLoader(before);
        }
    }

    // ---- what the other side runs (static: the lambdas capture only values) ---------------------------------------

    static void putAll(ProcessQueue<Object> q) throws InterruptedException {
        for (Object o : mixedItems()) {
            q.put(o);
        }
    }

    static void takeAllAndCheck(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        List<Object> expected = mixedItems();
        for (Object e : expected) {
            assertItemEquals(e, q.take());
        }
        assertNull(q.poll());
        back.put("checked " + expected.size());
    }

    static void fillBounded(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws Exception {
        assertEquals(2, q.remainingCapacity());
        assertTrue(q.offer("a"));
        assertTrue(q.offer("b", 1, TimeUnit.SECONDS));
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer("x"));
        assertFalse(q.offer("x", 100, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, () -> q.add("x"));
        back.put("full");
        q.put("c"); // waits until the other side takes one
        back.put("put c");
    }

    static void pollOnEmpty(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws Exception {
        assertNull(q.poll());
        assertNull(q.poll(100, TimeUnit.MILLISECONDS));
        assertNull(q.peek());
        assertTrue(q.isEmpty());
        back.put("empty seen");
        assertEquals("late", q.poll(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        back.put("late seen");
    }

    static void consumeTasks(JoinableProcessQueue<Object> q, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            assertEquals(i, q.take());
            q.taskDone();
        }
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    static void refusals(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws Exception {
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
        assertThrows(UnsupportedOperationException.class, q::iterator);
        assertThrows(UnsupportedOperationException.class, () -> q.contains("a"));
        assertThrows(UnsupportedOperationException.class, () -> q.remove("a"));
        assertThrows(UnsupportedOperationException.class, q::toArray);
        assertThrows(UnsupportedOperationException.class, () -> q.removeIf(x -> true));
        assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
        assertEquals(3, q.size());
        assertEquals("a", q.peek());
        assertEquals("a", q.element());
        assertEquals("a", q.remove());
        List<Object> drained = new ArrayList<>();
        assertEquals(1, q.drainTo(drained, 1));
        assertEquals(List.of("b"), drained);
        q.close();
        assertThrows(IllegalStateException.class, () -> q.put("x"));
        assertThrows(IllegalStateException.class, q::poll);
        q.joinThread();
        q.cancelJoinThread();
        back.put("refused");
    }

    static void putBacklog(ProcessQueue<Object> q, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[1024];
            b[0] = (byte) i;
            q.put(b);
        }
    }

    static void simpleEcho(SimpleProcessQueue<Object> in, SimpleProcessQueue<Object> out) throws Exception {
        for (;;) {
            Object o = in.take();
            out.put(o);
            if ("end".equals(o)) {
                return;
            }
        }
    }

    // ---- tests ----------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Sides.class)
    void itemsOfOneProducerArriveWholeAndInOrder(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        Sides.Running other = side.start(() -> putAll(q));
        for (Object e : mixedItems()) {
            assertItemEquals(e, q.take());
        }
        other.await();
        assertTrue(q.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void itemsPutHereArriveWholeAndInOrderThere(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        Sides.Running other = side.start(() -> takeAllAndCheck(q, back));
        putAll(q);
        assertEquals("checked " + mixedItems().size(), back.take());
        other.await();
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void boundedPutWaitsForRoomAndOfferTimesOut(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>(2);
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        Sides.Running other = side.start(() -> fillBounded(q, back));
        assertEquals("full", back.take());
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        assertTrue(back.isEmpty(), "put on a full queue must wait");
        assertEquals(2, q.size());
        assertEquals("a", q.take());
        assertEquals("put c", back.take());
        assertEquals("b", q.take());
        assertEquals("c", q.take());
        other.await();
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void pollOnAnEmptyQueueReturnsNullAndTimedPollGetsALateItem(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        Sides.Running other = side.start(() -> pollOnEmpty(q, back));
        assertEquals("empty seen", back.take());
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        q.put("late");
        assertEquals("late seen", back.take());
        other.await();
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void joinWaitsUntilEveryTaskIsDoneAndTaskDoneRefusesOneTooMany(Sides side) throws Exception {
        JoinableProcessQueue<Object> q = new JoinableProcessQueue<>();
        assertTrue(q.join(Duration.ZERO));
        int n = 20;
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        assertFalse(q.join(Duration.ofMillis(50)));
        Sides.Running other = side.start(() -> consumeTasks(q, n));
        q.join();
        other.await();
        assertTrue(q.join(Duration.ZERO));
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void nullUnserializableAndShapeMethodsAreRefusedAndCloseIsPerCopy(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        q.put("a");
        q.put("b");
        q.put("c");
        Sides.Running other = side.start(() -> refusals(q, back));
        assertEquals("refused", back.take());
        other.await();
        assertEquals("c", q.take(), "the other side's close() must not close this copy");
        assertThrows(IllegalStateException.class, q::joinThread);
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void aBacklogOfThreeMiBIsPutWithNobodyTakingAndStaysAfterTheProducerEnded(Sides side) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        int n = 3 * 1024;
        for (int round = 0; round < 2; round++) {
            Sides.Running other = side.start(() -> putBacklog(q, n));
            other.await();
            assertEquals(n, q.size());
            for (int i = 0; i < n; i++) {
                byte[] b = (byte[]) q.take();
                assertEquals(1024, b.length);
                assertEquals((byte) i, b[0]);
            }
            assertTrue(q.isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Sides.class)
    void simpleQueueCarriesItemsBothWays(Sides side) throws Exception {
        SimpleProcessQueue<Object> in = new SimpleProcessQueue<>();
        SimpleProcessQueue<Object> out = new SimpleProcessQueue<>();
        Sides.Running other = side.start(() -> simpleEcho(in, out));
        List<Object> items = new ArrayList<>(List.of(1, "two", new Point(3, "three"), pattern(5 * MIB, 9)));
        items.add("end");
        for (Object o : items) {
            in.put(o);
        }
        for (Object o : items) {
            assertItemEquals(o, out.take());
        }
        other.await();
        assertTrue(in.isEmpty());
        assertTrue(out.isEmpty());
        assertThrows(NullPointerException.class, () -> in.put(null));
        in.close();
        assertThrows(IllegalStateException.class, () -> in.put(1));
        assertTrue(Arrays.asList(Sides.values()).contains(side));
    }
}
