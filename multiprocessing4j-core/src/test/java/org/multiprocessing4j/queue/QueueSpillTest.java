package org.multiprocessing4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.memory.SegmentFiles;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.resource.SegmentSweeper;

/**
 * An unbounded queue grows beyond its 4 MiB ring into spill segments, in child JVMs: a put never waits, a child that
 * put tens of MiB can be joined before anyone takes, the chain grows and shrinks under racing producers and
 * consumers, a producer killed while spilling leaves whole items only, and no spill segment outlives its users.
 */
class QueueSpillTest {
    private static final int MIB = 1 << 20;

    // ---- what the children run --------------------------------------------------------------------------------------

    /** Item {@code seq} of {@code producer}: its id and seq, then a pattern of them, 200 to 1,300 bytes. */
    static byte[] item(int producer, int seq) {
        byte[] b = new byte[200 + (seq * 37 + producer * 101) % 1100];
        ByteBuffer.wrap(b).putInt(producer).putInt(seq);
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) (seq + producer + i);
        }
        return b;
    }

    /** @return {@code producer << 32 | seq} of a whole item; fails on a torn one */
    static long check(Object o) {
        byte[] b = (byte[]) o;
        ByteBuffer in = ByteBuffer.wrap(b);
        int producer = in.getInt();
        int seq = in.getInt();
        if (b.length != 200 + (seq * 37 + producer * 101) % 1100) {
            throw new AssertionError("item " + producer + "/" + seq + " has length " + b.length);
        }
        for (int i = 8; i < b.length; i++) {
            if (b[i] != (byte) (seq + producer + i)) {
                throw new AssertionError("item " + producer + "/" + seq + " is not whole at offset " + i);
            }
        }
        return (long) producer << 32 | seq;
    }

    static void putBytes(ProcessQueue<Object> q, int producer, long bytes, boolean pausing)
            throws InterruptedException {
        long put = 0;
        for (int seq = 0; put < bytes; seq++) {
            byte[] b = item(producer, seq);
            q.put(b);
            put += b.length;
            if (pausing && seq % 300 == 299) {
                Thread.sleep(2);
            }
        }
        q.put("done " + producer);
    }

    static void putForever(ProcessQueue<Object> q) throws InterruptedException {
        for (int seq = 0;; seq++) {
            q.put(item(0, seq));
        }
    }

    /** After "go", takes until "stop", checking each producer's order, pausing now and then (the backlog swings). */
    static void takeUntilStop(ProcessQueue<Object> q, SimpleProcessQueue<Object> go, SimpleProcessQueue<Object> back,
            int consumer) throws InterruptedException {
        go.take();
        List<Long> got = new ArrayList<>();
        int[] last = {-1, -1, -1};
        for (int n = 1;; n++) {
            Object o = q.take();
            if ("stop".equals(o)) {
                break;
            }
            if (o instanceof String) {
                continue; // a producer's "done"
            }
            long v = check(o);
            int producer = (int) (v >>> 32);
            if ((int) v <= last[producer]) {
                throw new AssertionError("consumer " + consumer + ": producer " + producer + "'s item " + (int) v
                        + " came after its item " + last[producer]);
            }
            last[producer] = (int) v;
            got.add(v);
            if (n % 3000 == consumer * 1000) {
                Thread.sleep(30);
            }
        }
        back.put(got.stream().mapToLong(Long::longValue).toArray());
    }

    /** Takes for ever, pausing now and then so that the parent can kill it half-way through the chain. */
    static void takeForever(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        back.put("taking");
        for (int n = 1;; n++) {
            Object o = q.take();
            if (!(o instanceof String)) {
                check(o);
            }
            if (n % 200 == 0) {
                Thread.sleep(1);
            }
        }
    }

    static void makeSpilledQueueAndExit(SimpleProcessQueue<Object> back) throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        putBytes(q, 0, 12L * MIB, false);
        back.put(q.segmentName());
        back.put(new ArrayList<>(ShmFiles.of(ShmFiles.SPILL_KIND, ProcessIdentity.selfPid())));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    static void joinWithin(ChildProcess p) throws InterruptedException {
        QueueAcrossProcessesTest.joinWithin(p);
    }

    /** Ends children a failed test leaves behind (a no-op for those that ended). */
    static void killAll(List<ChildProcess> children) {
        for (ChildProcess c : children) {
            c.kill();
        }
    }

    static Set<String> spillFilesOfThisProcess() throws Exception {
        return ShmFiles.of(ShmFiles.SPILL_KIND, ProcessIdentity.selfPid());
    }

    /** Takes producer 0's first {@code n} items: each whole, in order. */
    static void assertTakesInOrder(ProcessQueue<Object> q, int n) throws InterruptedException {
        for (int seq = 0; seq < n; seq++) {
            assertEquals(seq, (int) check(q.take()), "items whole, in the order put");
        }
    }

    /** Fails unless the queue is drained, carries an item still, and left no spill segment but those {@code before}. */
    static void assertWorksAndLeftNoSpillSegment(ProcessQueue<Object> q, Set<String> before) throws Exception {
        assertNull(q.poll(), "the queue is drained");
        q.put("after");
        assertEquals("after", q.take());
        assertTrue(q.isEmpty());
        ShmFiles.assertNoNew(ShmFiles.SPILL_KIND, before);
    }

    // ---- tests ------------------------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aChildThatPut32MiBOfSmallItemsIsJoinedFirstAndEveryItemComesAfterInOrderOnce() throws Exception {
        Set<String> before = ShmFiles.of(ShmFiles.SPILL_KIND, ShmFiles.ANY);
        ProcessQueue<Object> q = new ProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> putBytes(q, 0, 32L * MIB, false));
        child.start();
        joinWithin(child);
        assertEquals(0, child.exitCode(), "the producer's exit code (its stack trace is on stderr)");
        SegmentSweeper.sweep();
        Set<String> spilled = spillFilesOfThisProcess();
        spilled.removeAll(before);
        assertTrue(spilled.size() >= 6, "32 MiB beyond a 4 MiB ring live in spill segments handed over to this "
                + "process: " + spilled);
        int n = q.size() - 1;
        assertTakesInOrder(q, n);
        assertEquals("done 0", q.take());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        for (String f : spilled) {
            assertFalse(Files.exists(SegmentFiles.directory().resolve(f)), "drained spill segment still there: " + f);
        }
        assertWorksAndLeftNoSpillSegment(q, before);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBoundedQueueHoldsMaxsizeItemsBeyondTheRingAndNoMore() throws Exception {
        Set<String> before = ShmFiles.of(ShmFiles.SPILL_KIND, ShmFiles.ANY);
        int maxsize = 12_000; // about 9 MiB of items: twice the ring
        ProcessQueue<Object> q = new ProcessQueue<>(maxsize);
        ChildProcess child = new ChildProcess(() -> {
            for (int seq = 0; seq < maxsize; seq++) {
                q.put(item(0, seq));
            }
        });
        child.start();
        joinWithin(child);
        assertEquals(0, child.exitCode(), "the producer's exit code (its stack trace is on stderr)");
        assertEquals(maxsize, q.size());
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer("one too many"), "maxsize items, not bytes, bound a bounded queue");
        assertTakesInOrder(q, maxsize);
        assertWorksAndLeftNoSpillSegment(q, before);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void threeProducersAndTwoConsumersRaceWhileTheChainGrowsAndShrinksAndEveryItemComesOnce() throws Exception {
        Set<String> before = ShmFiles.of(ShmFiles.SPILL_KIND, ShmFiles.ANY);
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> go = new SimpleProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        List<ChildProcess> consumers = new ArrayList<>();
        List<ChildProcess> producers = new ArrayList<>();
        try {
            for (int c = 0; c < 2; c++) {
                int id = c;
                ChildProcess child = new ChildProcess(() -> takeUntilStop(q, go, back, id));
                child.start();
                consumers.add(child);
            }
            long perProducer = 8L * MIB;
            for (int p = 0; p < 3; p++) {
                int id = p;
                ChildProcess child = new ChildProcess(() -> putBytes(q, id, perProducer, true));
                child.start();
                producers.add(child);
            }
            long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
            while (spillFilesOfThisProcess().stream().noneMatch(f -> !before.contains(f))) {
                assertTrue(System.nanoTime() < deadline, "producers did not spill beyond the ring: size=" + q.size());
                Thread.sleep(5);
            }
            go.put("go");
            go.put("go");
            for (ChildProcess p : producers) {
                joinWithin(p);
                assertEquals(0, p.exitCode(), "a producer's exit code (its stack trace is on stderr)");
            }
            Set<Long> all = QueueAcrossProcessesTest.stopAndGather(q, back, consumers);
            for (int p = 0; p < 3; p++) {
                long put = 0;
                for (int seq = 0; put < perProducer; seq++) {
                    assertTrue(all.contains((long) p << 32 | seq), "item " + seq + " of producer " + p
                            + " is missing");
                    put += item(p, seq).length;
                }
            }
        } finally {
            killAll(producers);
            killAll(consumers);
        }
        assertWorksAndLeftNoSpillSegment(q, before);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aProducerKilledWhileSpillingLeavesWholeItemsInOrderAndTheQueueWorks() throws Exception {
        Set<String> before = ShmFiles.of(ShmFiles.SPILL_KIND, ShmFiles.ANY);
        ProcessQueue<Object> q = new ProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> putForever(q));
        child.start();
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        try {
            while (spillFilesOfThisProcess().stream().filter(f -> !before.contains(f)).count() < 3) {
                assertTrue(System.nanoTime() < deadline, "the producer did not spill: size=" + q.size());
                Thread.sleep(5);
            }
        } finally {
            child.kill();
        }
        joinWithin(child);
        assertEquals(-9, child.exitCode());
        int n = q.size();
        assertTrue(n > 4 * MIB / 1300, "the items put before the kill are there: " + n);
        assertTakesInOrder(q, n);
        assertWorksAndLeftNoSpillSegment(q, before);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aConsumerKilledInTheChainBlocksNobodyAndTheRestComeInOrder() throws Exception {
        Set<String> before = ShmFiles.of(ShmFiles.SPILL_KIND, ShmFiles.ANY);
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        putBytes(q, 0, 24L * MIB, false);
        int n = q.size() - 1;
        ChildProcess child = new ChildProcess(() -> takeForever(q, back));
        child.start();
        try {
            assertEquals("taking", back.take());
            while (q.size() > n - 8000) { // past the ring, into the chain
                Thread.sleep(1);
            }
        } finally {
            child.kill();
        }
        joinWithin(child);
        assertEquals(-9, child.exitCode());
        Object o = q.poll();
        assertTrue(o instanceof byte[], "items are left after the consumer's death: " + o);
        int last = (int) check(o);
        while (!((o = q.poll()) instanceof String)) {
            assertEquals(++last, (int) check(o), "the items after the death come whole, in order");
        }
        assertEquals(n - 1, last);
        assertEquals("done 0", o);
        assertWorksAndLeftNoSpillSegment(q, before);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSpilledQueueMadeInAChildLeavesNothingUnderDevShmOnceTheChildHasEnded() throws Exception {
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> makeSpilledQueueAndExit(back));
        child.start();
        String queue;
        List<String> spilled;
        try {
            queue = (String) back.take();
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) back.take();
            spilled = names;
        } catch (InterruptedException | RuntimeException | Error e) {
            child.kill(); // its put blocked (a time-out interrupted this take): do not leave it running
            throw e;
        }
        joinWithin(child);
        assertEquals(0, child.exitCode());
        assertTrue(spilled.size() >= 2, "12 MiB spilled beyond the ring: " + spilled);
        SegmentSweeper.sweep();
        assertFalse(Files.exists(SegmentFiles.directory().resolve(SegmentFiles.PREFIX + queue)),
                "the child's queue segment is still there: " + queue);
        for (String f : spilled) {
            assertFalse(Files.exists(SegmentFiles.directory().resolve(f)), "spill segment still there: " + f);
        }
    }

    @Test
    void anItemHandedOverToAQueueCreatorThatEndsIsGoneWithItWithoutWaitingForASweep() throws Exception {
        String javaExe = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process owner = new ProcessBuilder(javaExe, "-cp", System.getProperty("java.class.path"),
                LargeItemOwnerMain.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(owner.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertEquals(0, owner.waitFor(), out);
        long pid = Long.parseLong(out.strip());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), ShmFiles.of(ShmFiles.ITEM_KIND, pid),
                "large-item segments left behind by the queue's creator, pid " + pid);
    }
}
