package org.multiprocessing4j.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.internal.memory.SegmentFiles;
import org.multiprocessing4j.internal.resource.SegmentSweeper;

/** Many producers and consumers in child JVMs, join before drain, and the deaths of producers and consumers. */
class QueueAcrossProcessesTest {
    private static final int MIB = 1 << 20;

    // ---- what the children run --------------------------------------------------------------------------------------

    static void produce(ProcessQueue<Object> q, int producer, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.put(producer * 1_000_000L + i);
        }
    }

    /** Takes until "stop"; checks each producer's items come in order; sends back what it got. */
    static void consume(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        List<Long> got = new ArrayList<>();
        long[] last = {-1, -1, -1};
        for (;;) {
            Object o = q.take();
            if ("stop".equals(o)) {
                break;
            }
            long v = (Long) o;
            int producer = (int) (v / 1_000_000L);
            if (v <= last[producer]) {
                throw new AssertionError("producer " + producer + "'s items out of order: " + v + " after "
                        + last[producer]);
            }
            last[producer] = v;
            got.add(v);
        }
        back.put(got.stream().mapToLong(Long::longValue).toArray());
    }

    static void putAndExit(ProcessQueue<Object> q) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            q.put(i);
        }
        q.put(QueueContractTest.pattern(5 * MIB, 5));
        q.put("last");
    }

    static void takeForever(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        back.put("taking");
        q.take();
        back.put("took something");
    }

    static void takeLargeItems(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        for (;;) {
            byte[] item = (byte[]) q.take();
            back.put(checkLarge(item));
        }
    }

    static void putLargeItemsForever(ProcessQueue<Object> q, SimpleProcessQueue<Object> back)
            throws InterruptedException {
        q.put("before");
        back.put("putting");
        for (int i = 0;; i++) {
            q.put(large(i, 96 * MIB));
        }
    }

    static void takeHugeAndSum(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        byte[] item = (byte[]) q.take();
        CRC32 crc = new CRC32();
        crc.update(item);
        back.put(new long[] {item.length, crc.getValue()});
    }

    static void makeQueueAndExit(SimpleProcessQueue<Object> back) throws InterruptedException {
        ProcessQueue<Object> q = new ProcessQueue<>();
        q.put(QueueContractTest.pattern(3 * MIB, 1));
        back.put(q.segmentName());
    }

    /** A large item: its index in the first 4 bytes, then a pattern of that index. */
    static byte[] large(int index, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putInt(index);
        for (int i = 4; i < size; i += 4096) {
            b[i] = (byte) (index + i / 4096);
        }
        b[size - 1] = (byte) index;
        return b;
    }

    /** @return the item's index, after checking it is whole */
    static int checkLarge(byte[] b) {
        int index = ByteBuffer.wrap(b).getInt();
        for (int i = 4; i < b.length; i += 4096) {
            if (b[i] != (byte) (index + i / 4096)) {
                throw new AssertionError("large item " + index + " is not whole at offset " + i);
            }
        }
        if (b[b.length - 1] != (byte) index) {
            throw new AssertionError("large item " + index + " is not whole at its end");
        }
        return index;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** @return the names of the large-item segment files now present */
    static Set<String> itemSegmentFiles() throws IOException {
        return ShmFiles.of(ShmFiles.ITEM_KIND, ShmFiles.ANY);
    }

    static void assertNoNewItemSegments(Set<String> before) throws Exception {
        ShmFiles.assertNoNew(ShmFiles.ITEM_KIND, before);
    }

    /**
     * Sends each consumer "stop", gathers what they took (as {@link #consume} sends it back) and waits for them.
     *
     * @return every item taken; fails if one was taken twice, or a consumer failed
     */
    static Set<Long> stopAndGather(ProcessQueue<Object> q, SimpleProcessQueue<Object> back,
            List<ChildProcess> consumers) throws InterruptedException {
        for (int c = 0; c < consumers.size(); c++) {
            q.put("stop");
        }
        Set<Long> all = new HashSet<>();
        for (int c = 0; c < consumers.size(); c++) {
            for (long v : (long[]) back.take()) {
                assertTrue(all.add(v), "item " + v + " was delivered twice");
            }
        }
        for (ChildProcess p : consumers) {
            joinWithin(p);
            assertEquals(0, p.exitCode(), "a consumer saw a producer's items out of order or torn (see its stderr)");
        }
        return all;
    }

    static void joinWithin(ChildProcess p) throws InterruptedException {
        if (!p.join(TestTimeouts.CHILD_STEP.multipliedBy(3))) {
            p.kill();
            throw new AssertionError("child did not end in time: " + p);
        }
    }

    // ---- tests ------------------------------------------------------------------------------------------------------

    static void putOne(ProcessQueue<Object> q, int item) throws InterruptedException {
        q.put(item);
    }

    static void takeOne(ProcessQueue<Object> q, SimpleProcessQueue<Object> back) throws InterruptedException {
        back.put(q.take());
    }

    /**
     * This process keeps copies of the tail and head words while it takes its own locks straight back; a put or
     * take by another process in between must be seen: else this process would write over the child's item, or take
     * an item the child took.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void putsAndTakesOfAnotherProcessBetweenThisProcesssOwnAreSeen() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        q.put(1);
        q.put(2);
        ChildProcess producer = new ChildProcess(() -> putOne(q, 3));
        producer.start();
        joinWithin(producer);
        assertEquals(0, producer.exitCode());
        q.put(4);
        assertEquals(1, q.take());
        ChildProcess consumer = new ChildProcess(() -> takeOne(q, back));
        consumer.start();
        joinWithin(consumer);
        assertEquals(0, consumer.exitCode());
        assertEquals(2, back.take());
        assertEquals(3, q.take());
        assertEquals(4, q.take());
        assertNull(q.poll());
        q.put(5);
        assertEquals(5, q.poll());
        assertNull(q.poll());
    }

    /** Two copies of one queue in one process (each with its own ring object) share this process's word copies. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoCopiesOfAQueueInOneProcessInterleaveWithoutLosingItems() throws Exception {
        ProcessQueue<Object> a = new ProcessQueue<>();
        ProcessQueue<Object> b = Sides.copy(a);
        for (int i = 0; i < 100; i++) {
            (i % 3 == 0 ? b : a).put(i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, (i % 2 == 0 ? a : b).take());
        }
        assertNull(a.poll());
        assertNull(b.poll());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyItemIsDeliveredExactlyOnceUnderThreeProducersAndThreeConsumers() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>(500);
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        int n = 3000;
        List<ChildProcess> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            ChildProcess p = new ChildProcess(() -> consume(q, back));
            p.start();
            consumers.add(p);
        }
        List<ChildProcess> producers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int id = p;
            ChildProcess child = new ChildProcess(() -> produce(q, id, n));
            child.start();
            producers.add(child);
        }
        for (ChildProcess p : producers) {
            joinWithin(p);
            assertEquals(0, p.exitCode());
        }
        Set<Long> all = stopAndGather(q, back, consumers);
        assertEquals(3 * n, all.size(), "items delivered");
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < n; i++) {
                assertTrue(all.contains(p * 1_000_000L + i), "missing item " + i + " of producer " + p);
            }
        }
        assertTrue(q.isEmpty());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChildThatPutItemsCanBeJoinedBeforeTheQueueIsDrainedAndTheItemsStay() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> putAndExit(q));
        child.start();
        joinWithin(child);
        assertEquals(0, child.exitCode());
        SegmentSweeper.sweep();
        assertEquals(1002, q.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, q.take());
        }
        assertArrayEquals(QueueContractTest.pattern(5 * MIB, 5), (byte[]) q.take());
        assertEquals("last", q.take());
        assertNull(q.poll());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anItemOf256MiBArrivesWholeInAChild() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess child = Multiprocessing.getContext().withJvmOptions("-Xmx1200m")
                .process(() -> takeHugeAndSum(q, back));
        child.start();
        byte[] huge = large(7, 256 * MIB);
        CRC32 crc = new CRC32();
        crc.update(huge);
        q.put(huge);
        huge = null;
        assertArrayEquals(new long[] {256L * MIB, crc.getValue()}, (long[]) back.take());
        joinWithin(child);
        assertEquals(0, child.exitCode());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aConsumerKilledWhileWaitingInTakeBlocksNobodyAndLosesNothing() throws Exception {
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> takeForever(q, back));
        child.start();
        assertEquals("taking", back.take());
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        child.kill();
        joinWithin(child);
        assertEquals(-9, child.exitCode());
        assertTrue(back.isEmpty());
        q.put("one");
        q.put("two");
        assertEquals("one", q.poll(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("two", q.take());
        ChildProcess second = new ChildProcess(() -> takeForever(q, back));
        second.start();
        assertEquals("taking", back.take());
        q.put("three");
        assertEquals("took something", back.take());
        joinWithin(second);
        assertEquals(0, second.exitCode());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aConsumerKilledMidTakeOfLargeItemsLosesAtMostTheOneItWasTaking() throws Exception {
        Set<String> before = itemSegmentFiles();
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        int n = 8;
        for (int i = 0; i < n; i++) {
            q.put(large(i, 40 * MIB));
        }
        ChildProcess child = new ChildProcess(() -> takeLargeItems(q, back));
        child.start();
        assertEquals(0, back.take());
        child.kill();
        joinWithin(child);
        Set<Integer> seen = new TreeSet<>(Set.of(0));
        Object o;
        while ((o = back.isEmpty() ? null : back.take()) != null) {
            seen.add((Integer) o);
        }
        int last = -1;
        while ((o = q.poll()) != null) {
            int index = checkLarge((byte[]) o);
            assertTrue(index > last, "items out of order");
            last = index;
            assertTrue(seen.add(index), "item " + index + " delivered twice");
        }
        assertTrue(seen.size() >= n - 1, "more than the one item being taken was lost: got " + seen);
        q.put("after");
        assertEquals("after", q.take());
        assertNoNewItemSegments(before);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aProducerKilledMidPutOfALargeItemLeavesNoHalfItem() throws Exception {
        Set<String> before = itemSegmentFiles();
        ProcessQueue<Object> q = new ProcessQueue<>();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> putLargeItemsForever(q, back));
        child.start();
        assertEquals("putting", back.take());
        Thread.sleep(TestTimeouts.SETTLE.toMillis());
        child.kill();
        joinWithin(child);
        assertEquals(-9, child.exitCode());
        assertEquals("before", q.take());
        int expected = 0;
        Object o;
        while ((o = q.poll()) != null) {
            assertEquals(expected++, checkLarge((byte[]) o));
        }
        q.put("after");
        assertEquals("after", q.take());
        assertFalse(q.isEmpty() && q.size() != 0);
        assertNoNewItemSegments(before);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aQueueMadeInAChildLeavesNothingUnderDevShmOnceTheChildHasEnded() throws Exception {
        Set<String> before = itemSegmentFiles();
        SimpleProcessQueue<Object> back = new SimpleProcessQueue<>();
        ChildProcess child = new ChildProcess(() -> makeQueueAndExit(back));
        child.start();
        String segment = (String) back.take();
        joinWithin(child);
        assertEquals(0, child.exitCode());
        SegmentSweeper.sweep();
        assertFalse(Files.exists(SegmentFiles.directory().resolve(SegmentFiles.PREFIX + segment)),
                "the child's queue segment is still there: " + segment);
        assertNoNewItemSegments(before);
    }
}
