package org.multiprocessing4j.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    /** The segment kind of a large item's own segment (QueueLayout.ITEM_KIND). */
    private static final int ITEM_KIND = 0x5149_544d;
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
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SegmentFiles.directory(),
                SegmentFiles.PREFIX + "*")) {
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ByteBuffer header = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
                    ch.read(header, 0);
                    if (header.position() == 40 && header.getInt(0) == 0x4D50344A && header.getInt(36) == ITEM_KIND) {
                        names.add(f.getFileName().toString());
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours
                }
            }
        }
        return names;
    }

    static void assertNoNewItemSegments(Set<String> before) throws Exception {
        long deadline = System.nanoTime() + TestTimeouts.CHILD_STEP.toNanos();
        Set<String> now;
        do {
            SegmentSweeper.sweep();
            now = itemSegmentFiles();
            now.removeAll(before);
            if (now.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("large-item segments left under " + SegmentFiles.directory() + ": " + now);
    }

    static void joinWithin(ChildProcess p) throws InterruptedException {
        if (!p.join(TestTimeouts.CHILD_STEP.multipliedBy(3))) {
            p.kill();
            throw new AssertionError("child did not end in time: " + p);
        }
    }

    // ---- tests ------------------------------------------------------------------------------------------------------

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
        for (int c = 0; c < 3; c++) {
            q.put("stop");
        }
        Set<Long> all = new HashSet<>();
        int total = 0;
        for (int c = 0; c < 3; c++) {
            long[] got = (long[]) back.take();
            total += got.length;
            for (long v : got) {
                all.add(v);
            }
        }
        for (ChildProcess p : consumers) {
            joinWithin(p);
            assertEquals(0, p.exitCode(), "a consumer saw a producer's items out of order (see its stderr)");
        }
        assertEquals(3 * n, total, "items delivered");
        assertEquals(3 * n, all.size(), "distinct items delivered (a duplicate was delivered)");
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
