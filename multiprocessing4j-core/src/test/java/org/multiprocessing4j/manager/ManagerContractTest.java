package org.multiprocessing4j.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxies' contracts, called from the JVM that started the manager. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagerContractTest {
    private static Manager m;

    @BeforeAll
    static void start() {
        m = Manager.builder().register(Maths.class, MathsImpl::new).register(Counter.class).start();
    }

    @AfterAll
    static void stop() {
        if (m != null) {
            m.close();
        }
    }

    @Test
    void dictIsAConcurrentMap() {
        dictContract(m.dict());
    }

    static void dictContract(ConcurrentMap<String, Integer> d) {
        assertNull(d.put("a", 1));
        assertEquals(1, d.put("a", 2));
        assertEquals(2, d.get("a"));
        assertEquals(2, d.putIfAbsent("a", 5));
        assertNull(d.putIfAbsent("b", 3));
        assertTrue(d.replace("b", 3, 4));
        assertFalse(d.replace("b", 3, 9));
        assertEquals(2, d.size());
        assertTrue(d.containsKey("b"));
        assertTrue(d.containsValue(4));
        assertEquals(Set.of("a", "b"), d.keySet());
        assertEquals(Map.of("a", 2, "b", 4), Map.copyOf(d));
        assertEquals(d, Map.of("a", 2, "b", 4));
        assertEquals(Map.of("a", 2, "b", 4).hashCode(), d.hashCode());
        assertEquals(7, d.getOrDefault("zz", 7));
        // a plain function: a loop of atomic operations here
        assertEquals(12, d.merge("a", 10, Integer::sum));
        // a serializable function: atomic on the server
        assertEquals(24, d.compute("a", (java.util.function.BiFunction<String, Integer, Integer> & java.io.Serializable) (k, v) -> v == null ? 1 : v * 2));
        assertEquals(8, d.computeIfPresent("b", (java.util.function.BiFunction<String, Integer, Integer>
                & java.io.Serializable) (k, v) -> v * 2));
        assertEquals(5, d.computeIfAbsent("c", k -> 5));
        d.replaceAll((k, v) -> v + 1);
        assertEquals(Map.of("a", 25, "b", 9, "c", 6), Map.copyOf(d));
        List<String> seen = new ArrayList<>();
        d.forEach((k, v) -> seen.add(k));
        assertEquals(3, seen.size());
        assertTrue(d.remove("c", 6));
        assertEquals(9, d.remove("b"));
        for (Map.Entry<String, Integer> e : d.entrySet()) {
            assertEquals("a", e.getKey());
        }
        // keySet(), values() and entrySet() are views, as the Map contract says
        d.put("b", 1);
        d.put("c", 2);
        Set<String> keys = d.keySet();
        assertTrue(keys.remove("b"));
        assertFalse(d.containsKey("b"));
        d.put("d", 3);
        assertTrue(keys.contains("d"));
        assertEquals(d.size(), keys.size());
        java.util.Iterator<String> it = keys.iterator();
        while (it.hasNext()) {
            if (it.next().equals("c")) {
                it.remove();
            }
        }
        assertFalse(d.containsKey("c"));
        for (Map.Entry<String, Integer> e : d.entrySet()) {
            e.setValue(e.getValue() + 100);
        }
        assertEquals(Map.of("a", 125, "d", 103), Map.copyOf(d));
        assertTrue(d.entrySet().remove(Map.entry("d", 103)));
        assertTrue(d.values().contains(125));
        assertEquals(List.of(125), new ArrayList<>(d.values()));
        d.values().clear();
        assertTrue(d.isEmpty());
        d.put("a", 1);
        d.clear();
        assertTrue(d.isEmpty());
        assertThrows(NullPointerException.class, () -> d.put("x", null));
    }

    @Test
    void listIsAList() {
        listContract(m.list());
    }

    static void listContract(List<Integer> l) {
        l.addAll(List.of(5, 3, 4));
        l.add(0, 9);
        assertEquals(List.of(9, 5, 3, 4), l);
        assertEquals(4, l.size());
        assertEquals(5, l.get(1));
        assertEquals(5, l.set(1, 6));
        l.sort(null);
        assertEquals(List.of(3, 4, 6, 9), new ArrayList<>(l));
        l.sort((a, b) -> b - a); // a plain comparator: runs here, writes back through the iterator
        assertEquals(List.of(9, 6, 4, 3), new ArrayList<>(l));
        Iterator<Integer> it = l.iterator();
        while (it.hasNext()) {
            if (it.next() == 6) {
                it.remove();
            }
        }
        assertEquals(List.of(9, 4, 3), l);
        assertTrue(l.removeIf(x -> x == 4));
        assertEquals(2, l.indexOf(3) + 1);
        List<Integer> sub = l.subList(0, 1);
        assertEquals(List.of(9), sub);
        assertEquals(2, l.stream().mapToInt(Integer::intValue).count());
        assertTrue(Arrays.equals(new Integer[] {9, 3}, l.toArray(new Integer[0])));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(99));
    }

    @Test
    void anArgumentThatCannotBeSerializedIsRefusedAndTheSessionGoesOn() {
        ConcurrentMap<String, Object> d = m.dict();
        Object notSerializable = new Object();
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> d.put("k", notSerializable));
        assertTrue(direct.getMessage().contains("not serializable"), direct.getMessage());
        IllegalArgumentException viaRequest = assertThrows(IllegalArgumentException.class,
                () -> d.putAll(java.util.Map.of("k", notSerializable)));
        assertTrue(viaRequest.getMessage().contains("not serializable"), viaRequest.getMessage());
        assertNull(d.put("k", "fine"));
        assertEquals("fine", d.get("k"));
    }

    @Test
    void serverExceptionKeepsItsTypeWithTheServerTraceAsCause() {
        List<Integer> l = m.list();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> l.get(7));
        assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
        assertTrue(Arrays.stream(e.getCause().getStackTrace())
                .anyMatch(f -> f.getClassName().contains("Dispatcher")), "server's stack trace in the cause");
        Maths maths = m.create(Maths.class);
        assertThrows(ArithmeticException.class, () -> maths.divide(1, 0));
    }

    @Test
    void namespaceAndValue() {
        namespaceAndValueContract(m.namespace(), m.value(1.5));
    }

    static void namespaceAndValueContract(Namespace ns, ManagedValue<Double> v) {
        assertNull(ns.get("x"));
        ns.set("x", 10);
        ns.set("y", "why");
        assertEquals(10, (Integer) ns.get("x"));
        assertEquals("why", ns.get("y"));
        assertTrue(ns.remove("x"));
        assertNull(ns.get("x"));
        assertEquals(1.5, v.get());
        v.set(2.5);
        assertTrue(v.compareAndSet(2.5, 3.0));
        assertFalse(v.compareAndSet(2.5, 4.0));
        assertEquals(3.0, v.get());
    }

    @Test
    void queueIsABlockingQueue() throws Exception {
        queueContract(m.queue(), m.queue(1));
    }

    static void queueContract(BlockingQueue<String> q, BlockingQueue<Integer> bounded) throws Exception {
        assertTrue(q.isEmpty());
        q.put("a");
        assertTrue(q.offer("b"));
        assertTrue(q.offer("c", 1, TimeUnit.SECONDS));
        assertEquals(3, q.size());
        assertEquals("a", q.peek());
        assertEquals("a", q.take());
        assertEquals("b", q.poll());
        List<String> out = new ArrayList<>();
        assertEquals(1, q.drainTo(out));
        assertEquals(List.of("c"), out);
        assertNull(q.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(bounded.offer(1));
        assertFalse(bounded.offer(2));
        assertEquals(0, bounded.remainingCapacity());
        assertThrows(NullPointerException.class, () -> q.put(null));
        // a thread blocked in take() does not hold up another thread's calls
        AtomicReference<String> got = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                got.set(q.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        Thread.sleep(100);
        assertEquals(0, q.size());
        q.put("late");
        t.join(10_000);
        assertEquals("late", got.get());
    }

    @Test
    void anInterruptedTakeThrowsAndTheQueueGoesOn() throws Exception {
        BlockingQueue<String> q = m.queue();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                q.take();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(100);
        t.interrupt();
        t.join(20_000);
        assertInstanceOf(InterruptedException.class, thrown.get());
        // the abandoned take still runs on the server and may consume one element: Python's behaviour too
        q.put("a");
        q.put("b");
        assertNotNull(q.poll(10, TimeUnit.SECONDS));
        // a method without InterruptedException waits on, and keeps the interrupt status
        Thread.currentThread().interrupt();
        try {
            assertEquals(2, m.<String, Integer>dict().merge("x", 2, Integer::sum));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aLockTakenForAnInterruptedWaiterIsGivenBack() throws Exception {
        Lock lock = m.lock();
        lock.lock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                lock.lockInterruptibly();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        waiter.join(20_000);
        assertInstanceOf(InterruptedException.class, thrown.get());
        lock.unlock(); // the server hands the lock to the abandoned wait, whose reply finds nobody: given back
        assertTrue(lock.tryLock(20, TimeUnit.SECONDS));
        lock.unlock();
    }

    @Test
    void locks() throws Exception {
        lockContract(m.lock(), m.rlock());
    }

    static void lockContract(Lock lock, Lock r) throws Exception {
        lock.lock();
        assertFalse(lock.tryLock());
        Thread other = new Thread(lock::unlock); // any thread may unlock a Lock, as in Python
        other.start();
        other.join();
        assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
        lock.unlock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);

        r.lock();
        r.lock();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            failure.set(assertThrows(IllegalMonitorStateException.class, r::unlock));
            try {
                assertFalse(r.tryLock(50, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join();
        assertNotNull(failure.get());
        r.unlock();
        r.unlock();
        assertThrows(IllegalMonitorStateException.class, r::unlock);
    }

    @Test
    void conditionEventSemaphoreBarrier() throws Exception {
        ManagedCondition c = m.condition();
        ManagedEvent ready = m.event();
        Thread waiter = new Thread(() -> {
            c.lock();
            try {
                ready.set();
                assertTrue(c.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                c.unlock();
            }
        });
        waiter.start();
        assertTrue(ready.await(Duration.ofSeconds(20)));
        c.lock();
        c.signalAll();
        c.unlock();
        waiter.join(20_000);
        assertFalse(waiter.isAlive());
        assertThrows(IllegalMonitorStateException.class, c::signal);

        Lock l = m.rlock();
        Condition cond = l.newCondition();
        l.lock();
        assertFalse(cond.await(10, TimeUnit.MILLISECONDS));
        l.unlock();

        ManagedSemaphore s = m.semaphore(2);
        s.acquire();
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire(10, TimeUnit.MILLISECONDS));
        s.release(2);
        assertEquals(2, s.availablePermits());

        ManagedBarrier b = m.barrier(2);
        assertEquals(2, b.parties());
        Thread other = new Thread(() -> {
            try {
                b.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        b.await(20, TimeUnit.SECONDS);
        other.join();
        assertFalse(b.isBroken());
        ready.clear();
        assertFalse(ready.isSet());
    }

    @Test
    void namedObjectsAreMadeOnFirstUse() {
        ConcurrentMap<String, Integer> a = m.dict("shared-config");
        a.put("x", 1);
        assertEquals(1, m.<String, Integer>dict("shared-config").get("x"));
        m.<String>list("L").add("one");
        assertEquals(List.of("one"), m.list("L"));
        m.<String>queue("Q").add("q");
        assertEquals("q", m.queue("Q").poll());
        m.namespace("N").set("k", "v");
        assertEquals("v", m.namespace("N").get("k"));
    }

    @Test
    void everyKindOfValueAndValuesLongerThanAReceivingArrayComeBackIntact() {
        ConcurrentMap<String, Object> d = m.dict();
        List<Object> values = new ArrayList<>(Arrays.asList("", "grüße ✓", 42, -7L, 2.5, true,
                new ArrayList<>(List.of(1, "two")), "y".repeat(600), "z".repeat(100_000)));
        values.add(new java.util.HashMap<>(Map.of("k", "v".repeat(2000))));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < values.size(); i++) {
                d.put("v" + i, values.get(i));
                assertEquals(values.get(i), d.get("v" + i), "value " + i);
                assertEquals(values.get(i), d.put("v" + i, i), "the previous value " + i);
                assertEquals(i, d.get("v" + i), "a small one after it " + i);
            }
        }
        byte[] bytes = new byte[70_000];
        bytes[69_999] = 9;
        d.put("bytes", bytes);
        assertArrayEquals(bytes, (byte[]) d.get("bytes"));
        assertNull(d.get("never"));
        assertThrows(NullPointerException.class, () -> d.get(null), "the server's map refuses a null key");
        assertEquals(values.size() + 1, d.size());
    }

    @Test
    void customTypesAndNestedProxies() {
        Maths maths = m.create(Maths.class);
        assertEquals(5, maths.add(2, 3));
        Counter c = maths.counter("clicks");
        assertEquals(1, c.increment());
        assertEquals(2, c.increment());
        assertEquals("clicks", c.name());
        assertThrows(IllegalArgumentException.class, () -> m.create(Runnable.class));
        assertThrows(UnsupportedOperationException.class, () -> m.create(Counter.class));
        // a proxy stored in another object comes back as a proxy of the same object
        ConcurrentMap<String, Object> d = m.dict();
        d.put("counter", c);
        Counter again = (Counter) d.get("counter");
        assertEquals(3, again.increment());
        assertEquals(c, again);
    }

    @Test
    void batchRunsManyCallsInOneRoundTrip() {
        ConcurrentMap<String, Integer> d = m.dict();
        Batch b = m.batch();
        ConcurrentMap<String, Integer> bd = b.of(d);
        for (int i = 0; i < 100; i++) {
            assertNull(bd.put("k" + i, i));
        }
        bd.get("k7");
        assertEquals(0, bd.size());
        assertEquals(102, b.size());
        List<Object> results = b.run();
        assertEquals(102, results.size());
        assertEquals(7, results.get(100));
        assertEquals(100, results.get(101));
        assertEquals(100, d.size());
        assertEquals(0, b.size());
        List<Integer> l = m.list();
        Batch failing = m.batch();
        failing.of(l).add(1);
        failing.of(l).get(5);
        failing.of(l).add(2);
        assertThrows(IndexOutOfBoundsException.class, failing::run);
        assertEquals(List.of(1), l);
    }

    @Test
    void closedServerMeansUncheckedIOException() {
        Manager other = Manager.start();
        ConcurrentMap<String, String> d = other.dict();
        d.put("a", "b");
        other.close();
        other.close();
        assertThrows(java.io.UncheckedIOException.class, () -> d.get("a"));
        assertThrows(IllegalStateException.class, other::dict);
    }
}
