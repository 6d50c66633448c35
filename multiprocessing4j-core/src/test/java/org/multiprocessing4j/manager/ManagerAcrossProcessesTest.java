package org.multiprocessing4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.connection.AuthenticationException;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.function.SerializableRunnable;

/** Proxies handed to child JVMs, a remote manager with a second JVM as client, and the server's lifecycle. */
class ManagerAcrossProcessesTest {

    static List<ChildProcess> startAll(int n, SerializableRunnable target) {
        List<ChildProcess> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChildProcess p = new ChildProcess(target);
            p.start();
            ps.add(p);
        }
        return ps;
    }

    static void joinAll(List<ChildProcess> ps) throws InterruptedException {
        for (ChildProcess p : ps) {
            if (!p.join(TestTimeouts.CHILD_STEP.multipliedBy(2))) {
                ps.forEach(ChildProcess::kill);
                throw new AssertionError("child did not end: " + p);
            }
            assertEquals(0, p.exitCode(), "exit code of " + p);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void childrenUseTheProxiesTheyWereHanded() throws Exception {
        try (Manager m = Manager.builder().register(Maths.class, MathsImpl::new).register(Counter.class).start()) {
            ConcurrentMap<String, Integer> d = m.dict();
            List<String> l = m.list();
            BlockingQueue<String> q = m.queue();
            Namespace ns = m.namespace();
            Lock lock = m.lock();
            Maths maths = m.create(Maths.class);
            int rounds = 200;
            List<ChildProcess> ps = startAll(2, () -> {
                String me = String.valueOf(ProcessHandle.current().pid());
                for (int i = 0; i < rounds; i++) {
                    d.merge("merged", 1, Integer::sum);      // plain function: a loop of atomic operations
                    lock.lock();
                    try {
                        Integer n = ns.get("n");
                        ns.set("n", n == null ? 1 : n + 1);  // not atomic by itself: the lock makes it so
                    } finally {
                        lock.unlock();
                    }
                }
                l.add(me);
                q.put(me + ":" + maths.add(20, 22));
                // a proxy made in the child, handed back through a proxy
                m2(d, maths);
            });
            joinAll(ps);
            assertEquals(2 * rounds, d.get("merged"));
            assertEquals(2 * rounds, (Integer) ns.get("n"));
            assertEquals(2, l.size());
            for (int i = 0; i < 2; i++) {
                String s = q.poll(10, TimeUnit.SECONDS);
                assertTrue(s.endsWith(":42"), s);
            }
            assertEquals(2, d.get("counted"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theProxyContractsHoldInAChildJvm() throws Exception {
        try (Manager m = Manager.start()) {
            ConcurrentMap<String, Integer> d = m.dict();
            List<Integer> l = m.list();
            BlockingQueue<String> q = m.queue();
            BlockingQueue<Integer> bounded = m.queue(1);
            Namespace ns = m.namespace();
            ManagedValue<Double> v = m.value(1.5);
            Lock lock = m.lock();
            Lock rlock = m.rlock();
            ChildProcess p = new ChildProcess(() -> {
                ManagerContractTest.dictContract(d);
                ManagerContractTest.listContract(l);
                ManagerContractTest.queueContract(q, bounded);
                ManagerContractTest.namespaceAndValueContract(ns, v);
                ManagerContractTest.lockContract(lock, rlock);
            });
            p.start();
            joinAll(List.of(p));
        }
    }

    private static void m2(ConcurrentMap<String, Integer> d, Maths maths) {
        Counter c = maths.counter("shared");
        c.increment();
        d.merge("counted", 1, Integer::sum);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void remoteManagerOnLoopbackWithASecondJvmAsClient() throws Exception {
        byte[] key = "remote-key".getBytes();
        try (Manager server = Manager.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key)) {
            SocketAddress address = server.address();
            assertTrue(((InetSocketAddress) address).getPort() > 0);
            ConcurrentMap<String, String> shared = server.dict("shared");
            shared.put("from", "server");
            Pipe back = Pipe.open(false);
            Connection out = back.right();
            ChildProcess p = new ChildProcess(() -> {
                try (Manager client = Manager.connect(address, key)) {
                    ConcurrentMap<String, String> d = client.dict("shared");
                    out.send(d.get("from"));
                    d.put("from", "client");
                    BlockingQueue<String> q = client.queue("jobs");
                    out.send(q.take());
                }
                try {
                    Manager.connect(address, "wrong".getBytes());
                    out.send("connected with a wrong key");
                } catch (AuthenticationException e) {
                    out.send("refused");
                }
            });
            p.start();
            out.close();
            assertEquals("server", back.left().recv());
            server.queue("jobs").put("job-1");
            assertEquals("job-1", back.left().recv());
            assertEquals("refused", back.left().recv());
            assertTrue(p.join(TestTimeouts.CHILD_STEP));
            assertEquals(0, p.exitCode());
            assertEquals("client", shared.get("from"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClientThatDisappearsReleasesItsObjectsAndLocks() throws Exception {
        byte[] key = "k".getBytes();
        try (Manager server = Manager.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key)) {
            SocketAddress address = server.address();
            Lock lock = server.rlock();
            ConcurrentMap<String, Object> d = server.dict();
            int before = server.serverObjects();
            Pipe back = Pipe.open(false);
            Connection out = back.right();
            ChildProcess p = new ChildProcess(() -> {
                Manager client = Manager.connect(address, key);
                // held until the kill: a proxy the child's GC collects is released on its own, which is not what
                // this test is about (a collection before "locked" made the count below come short)
                List<Object> held = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ConcurrentMap<String, Object> mine = client.dict();
                    mine.put("x", i);
                    held.add(mine);
                }
                lock.lock();
                d.put("held", true);
                out.send("locked");
                Thread.sleep(60_000);
                Reference.reachabilityFence(held);
            });
            p.start();
            out.close();
            assertEquals("locked", back.left().recv());
            assertTrue(server.serverObjects() >= before + 5);
            assertFalse(lock.tryLock());
            p.kill();
            p.join();
            assertTrue(lock.tryLock(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
            lock.unlock();
            long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
            while (server.serverObjects() > before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(before, server.serverObjects());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void objectsWhoseProxiesAreGarbageCollectedAreReleased() throws Exception {
        byte[] key = "gc".getBytes();
        try (Manager server = Manager.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key);
                Manager client = Manager.connect(server.address(), key)) {
            int before = server.serverObjects();
            ConcurrentMap<String, Integer> kept = client.dict();
            kept.put("kept", 1);
            for (int i = 0; i < 20; i++) {
                client.<String, Integer>dict().put("x", i);
            }
            long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
            while (server.serverObjects() > before + 1 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(before + 1, server.serverObjects());
            assertEquals(1, kept.get("kept"));
            // a proxy that comes back from the server is counted again, so dropping it does not release the object
            ConcurrentMap<String, Object> holder = client.dict();
            holder.put("map", kept);
            holder.get("map");
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(1, kept.get("kept"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeEndsTheServerProcess() throws Exception {
        Manager m = Manager.builder().register(Probe.class, Probe.Impl::new)
                .jvmOptions("-Dmp4j.test.marker=server").start();
        long pid = m.serverPid();
        Probe probe = m.create(Probe.class);
        assertEquals(pid, probe.pid());
        assertEquals("server", probe.property("mp4j.test.marker"));
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        m.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server pid=" + pid);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killingTheStarterEndsTheServerProcess() throws Exception {
        Pipe back = Pipe.open(false);
        Connection out = back.right();
        ChildProcess starter = new ChildProcess(() -> {
            Manager m = Manager.start();
            m.dict().put("a", 1);
            out.send(m.serverPid());
            Thread.sleep(60_000);
        });
        starter.start();
        out.close();
        long pid = back.left().<Long>recv();
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        starter.kill();
        starter.join();
        server.onExit().get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(server.isAlive());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void startFailsWithTheExitCodeOfAServerProcessThatEndsBeforeItServes() {
        HaltOnArrival fault = new HaltOnArrival();
        ManagerBuilder b = Manager.builder().register(Probe.class, () -> {
            Objects.requireNonNull(fault);
            return new Probe.Impl();
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
        assertTrue(e.getMessage().contains("ended before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("exitCode=3"), e.getMessage());
    }

    static Duration step() {
        return TestTimeouts.CHILD_STEP;
    }
}
