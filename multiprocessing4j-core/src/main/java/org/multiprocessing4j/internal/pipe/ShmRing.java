package org.multiprocessing4j.internal.pipe;

import static org.multiprocessing4j.internal.pipe.PipeLayout.BROKEN;
import static org.multiprocessing4j.internal.pipe.PipeLayout.HEAD;
import static org.multiprocessing4j.internal.pipe.PipeLayout.LENGTH_HEADER;
import static org.multiprocessing4j.internal.pipe.PipeLayout.READ_LOCK;
import static org.multiprocessing4j.internal.pipe.PipeLayout.READ_MID;
import static org.multiprocessing4j.internal.pipe.PipeLayout.TAIL;
import static org.multiprocessing4j.internal.pipe.PipeLayout.WRITE_LOCK;
import static org.multiprocessing4j.internal.pipe.PipeLayout.WRITE_MID;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * One direction of a shared-memory pipe: a byte ring in a {@link Segment} that carries messages (an 8-byte length,
 * then the bytes), written by any copy of one end and read by any copy of the other.
 *
 * <pre>
 * Overview.
 *  Locks: one writer and one reader at a time, across processes ({@link RingLock}). A lock whose holder died is
 *  taken over; if the holder was in the middle of a message (its MID flag is set) the ring is marked broken:
 *  every later call fails.
 *  Under the locks the ring is single-producer single-consumer: tail and head count bytes ever written and read;
 *  the writer copies bytes and then publishes tail with a release store, the reader reads tail (volatile), copies,
 *  and publishes head. A message that fits the free space is written with one publication, and read with one
 *  when it has fully arrived; a bigger one streams through the ring in pieces (MID flags set meanwhile). Each side
 *  copies all there is before it publishes, so the two copies of a large message alternate a ring at a time.
 *  Publishing every 256 KiB instead (the copies overlap) raised the best warm 64 MiB transfers ~2x on two free
 *  cores, but lost 30-45 % on shared ones and did not raise pipe_bandwidth's medians (one warm-up, 3-5 reps: cold
 *  JIT and scheduling dominate); it was reverted, as were variants that switch between the two (see git log).
 *  Publishing tail or head is a volatile store followed by a wake of the other side's WaitQueue (a no-op without
 *  waiters), so a reader or writer that has gone to sleep on the queue wakes through its process's doorbell.
 *  Waits use {@link Waiter}; every 20 ms (after 200 ms: 250 ms) of waiting the peer's liveness is checked: a
 *  reader that finds the ring
 *  empty and no live copy of the writing end gets end of stream, a writer that finds no live copy of the reading
 *  end gets an IOException, a reader in the middle of a message whose writer died gets an IOException.
 * </pre>
 */
final class ShmRing {
    private static final long FOREVER = Long.MAX_VALUE;

    private final Segment seg;
    private final Holders holders;
    private final int base;
    private final int capacity;
    private final int readerEnd;
    private final int writerEnd;
    private final RingBytes bytes;
    private final RingLock readLock;
    private final RingLock writeLock;
    private final WaitQueue dataQueue;
    private final WaitQueue spaceQueue;

    ShmRing(Segment seg, Holders holders, int ring, int capacity) {
        this.seg = seg;
        this.holders = holders;
        this.base = PipeLayout.ring(ring, capacity);
        this.capacity = capacity;
        this.readerEnd = ring;
        this.writerEnd = 1 - ring;
        this.bytes = new RingBytes(seg.data(), base + PipeLayout.RING_HEADER, capacity);
        this.dataQueue = new WaitQueue(seg, base + PipeLayout.DATA_QUEUE);
        this.spaceQueue = new WaitQueue(seg, base + PipeLayout.SPACE_QUEUE);
        this.readLock = new RingLock(seg, base + READ_LOCK, base + READ_MID, base + PipeLayout.READ_LOCK_QUEUE,
                this::markBroken);
        this.writeLock = new RingLock(seg, base + WRITE_LOCK, base + WRITE_MID, base + PipeLayout.WRITE_LOCK_QUEUE,
                this::markBroken);
    }

    /** Wakes every waiter of either side, to re-check its condition (an end was closed, the ring broke). */
    void wakeAll() {
        dataQueue.wakeAll();
        spaceQueue.wakeAll();
        readLock.wakeAll();
        writeLock.wakeAll();
    }

    private void publishTail(long tail) {
        seg.setLongVolatile(base + TAIL, tail);
        dataQueue.wakeAll();
    }

    private void publishHead(long head) {
        seg.setLongVolatile(base + HEAD, head);
        spaceQueue.wakeAll();
    }

    private boolean isBroken() {
        return seg.getIntVolatile(base + BROKEN) != 0;
    }

    private boolean brokenOr(BooleanSupplier closed) {
        return seg.getIntVolatile(base + BROKEN) != 0 || closed.getAsBoolean();
    }

    private void markBroken() {
        seg.setIntVolatile(base + BROKEN, 1);
        wakeAll();
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /**
     * Sends one message.
     *
     * @param src the bytes
     * @param off the first
     * @param len how many
     * @param closed tells whether the caller's copy was closed meanwhile
     * @throws InterruptedIOException if interrupted before the first byte was written
     * @throws IOException if the other end is closed or gone, the ring is broken, or the copy is closed
     */
    void write(byte[] src, int off, int len, BooleanSupplier closed) throws IOException {
        writeLock.lock(RingLock.of(this::isBroken, closed));
        try {
            if (!holders.mayBeAlive(readerEnd)) {
                throw otherEndClosed();
            }
            long tail = seg.getLongVolatile(base + TAIL);
            long head = seg.getLongVolatile(base + HEAD);
            if (capacity - (tail - head) >= LENGTH_HEADER + (long) len) {
                bytes.putLength(tail, len);
                bytes.copyIn(tail + LENGTH_HEADER, src, off, len);
                publishTail(tail + LENGTH_HEADER + len);
                return;
            }
            streamIn(tail, src, off, len, closed);
        } finally {
            writeLock.unlock();
        }
    }

    private void streamIn(long tail, byte[] src, int off, int len, BooleanSupplier closed) throws IOException {
        byte[] header = new byte[LENGTH_HEADER];
        ByteBuffer.wrap(header).putLong(len);
        long[] written = {tail};
        Waiter w = new Waiter(spaceQueue, () -> capacity - (written[0] - seg.getLongVolatile(base + HEAD)) > 0
                || brokenOr(closed) || !holders.mayBeAlive(readerEnd));
        boolean started = false;
        try {
            int headerLeft = LENGTH_HEADER;
            long left = len;
            while (headerLeft > 0 || left > 0) {
                long free = capacity - (tail - seg.getLongVolatile(base + HEAD));
                if (free == 0) {
                    if (w.idle(!started, FOREVER)) {
                        checkBroken();
                        checkReaderAlive();
                        if (!holders.isAlive(readerEnd)) {
                            throw otherEndClosed();
                        }
                    }
                    checkOpen(closed);
                    continue;
                }
                if (!started) {
                    seg.setIntVolatile(base + WRITE_MID, 1);
                    started = true;
                }
                w.progress();
                if (headerLeft > 0) {
                    int n = (int) Math.min(free, headerLeft);
                    bytes.copyIn(tail, header, LENGTH_HEADER - headerLeft, n);
                    headerLeft -= n;
                    tail += n;
                } else {
                    int n = (int) Math.min(free, left);
                    bytes.copyIn(tail, src, off + (len - (int) left), n);
                    left -= n;
                    tail += n;
                }
                written[0] = tail;
                publishTail(tail);
            }
            seg.setIntVolatile(base + WRITE_MID, 0);
        } catch (IOException | RuntimeException | Error e) {
            if (started) {
                markBroken();
            }
            throw e;
        } finally {
            w.finish();
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** What a reader does with a message once its length is known. */
    interface Sink<R> {
        /**
         * Takes the message. It must read all of it, and throw nothing but the reader's exceptions (a refusal is
         * returned, then thrown by the caller), or the ring would be left out of step.
         *
         * @param length the message length
         * @param reader reads the message's bytes, in order, all of them exactly once
         * @return the result of the receive
         * @throws IOException if the reader fails
         */
        R accept(int length, Reader reader) throws IOException;
    }

    /** Reads the bytes of the message being received. */
    interface Reader {
        /** Reads the next {@code len} bytes of the message into {@code dst}. */
        void read(byte[] dst, int off, int len) throws IOException;
    }

    /**
     * Receives one message.
     *
     * @param sink what to do with it
     * @param closed tells whether the caller's copy was closed meanwhile
     * @param <R> the result
     * @return what the sink returned
     * @throws EOFException if the ring is empty and no live copy of the writing end is left
     * @throws InterruptedIOException if interrupted before the message started to arrive
     * @throws IOException if the ring is broken, the writer died mid-message, or the copy is closed
     */
    <R> R read(Sink<R> sink, BooleanSupplier closed) throws IOException {
        readLock.lock(RingLock.of(this::isBroken, closed));
        try {
            long head = seg.getLongVolatile(base + HEAD);
            awaitHeader(head, closed);
            int length = getLength(head);
            long tail = seg.getLongVolatile(base + TAIL);
            if (tail - head >= LENGTH_HEADER + (long) length) {
                long[] pos = {head + LENGTH_HEADER};
                R result = sink.accept(length, (dst, off, len) -> {
                    bytes.copyOut(pos[0], dst, off, len);
                    pos[0] += len;
                });
                publishHead(head + LENGTH_HEADER + length);
                return result;
            }
            seg.setIntVolatile(base + READ_MID, 1);
            publishHead(head + LENGTH_HEADER);
            long[] pos = {head + LENGTH_HEADER};
            try {
                R result = sink.accept(length, (dst, off, len) -> pos[0] = streamOut(pos[0], dst, off, len, closed));
                seg.setIntVolatile(base + READ_MID, 0);
                return result;
            } catch (IOException | RuntimeException | Error e) {
                markBroken();
                throw e;
            }
        } finally {
            readLock.unlock();
        }
    }

    private void awaitHeader(long head, BooleanSupplier closed) throws IOException {
        Waiter w = null;
        try {
            for (;;) {
                checkBroken();
                checkOpen(closed);
                long avail = seg.getLongVolatile(base + TAIL) - head;
                if (avail >= LENGTH_HEADER) {
                    return;
                }
                if (avail == 0 && !holders.mayBeAlive(writerEnd) && seg.getLongVolatile(base + TAIL) == head) {
                    throw endOfStream();
                }
                if (w == null) {
                    w = new Waiter(dataQueue, () -> seg.getLongVolatile(base + TAIL) - head >= LENGTH_HEADER
                            || brokenOr(closed) || !holders.mayBeAlive(writerEnd));
                }
                if (w.idle(avail == 0, FOREVER)) {
                    if (avail == 0 && !holders.isAlive(writerEnd) && seg.getLongVolatile(base + TAIL) == head) {
                        throw endOfStream();
                    }
                    if (avail > 0) {
                        checkWriterAlive(head + avail);
                    }
                }
            }
        } finally {
            if (w != null) {
                w.finish();
            }
        }
    }

    private int getLength(long head) throws IOException {
        long length = bytes.length(head);
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            markBroken();
            throw new StreamCorruptedException("corrupt pipe: message length=" + length + " (the pipe is broken)");
        }
        return (int) length;
    }

    private long streamOut(long start, byte[] dst, int off, int len, BooleanSupplier closed) throws IOException {
        Waiter w = null;
        long[] at = {start};
        long pos = start;
        try {
            while (len > 0) {
                long avail = seg.getLongVolatile(base + TAIL) - pos;
                if (avail == 0) {
                    if (w == null) {
                        w = new Waiter(dataQueue, () -> seg.getLongVolatile(base + TAIL) > at[0] || brokenOr(closed));
                    }
                    if (w.idle(false, FOREVER)) {
                        checkBroken();
                        checkWriterAlive(pos);
                    }
                    checkOpen(closed);
                    continue;
                }
                if (w != null) {
                    w.progress();
                }
                int n = (int) Math.min(avail, len);
                bytes.copyOut(pos, dst, off, n);
                pos += n;
                off += n;
                len -= n;
                at[0] = pos;
                publishHead(pos);
            }
            return pos;
        } finally {
            if (w != null) {
                w.finish();
            }
        }
    }

    /**
     * A writer waiting for space: fails if the reader that holds the read lock died in the middle of a message.
     * Nobody would take the ring over from it until another reader came, and a live process may well hold a copy
     * of the reading end without ever reading, so the writer would otherwise wait for ever. The lock word is read
     * on both sides of the flag: if it did not change, the flag is the dead holder's (a new holder sets it only
     * after taking the word over).
     */
    private void checkReaderAlive() throws IOException {
        long owner = seg.getLongVolatile(base + READ_LOCK);
        boolean mid = seg.getIntVolatile(base + READ_MID) != 0;
        if (owner == 0 || !mid || seg.getLongVolatile(base + READ_LOCK) != owner
                || ProcessIdentity.isAlive(owner, 0)) {
            return;
        }
        markBroken();
        throw new IOException("the receiving process ended in the middle of a message: pid=" + owner
                + " (the pipe is broken)");
    }

    /** In the middle of a message with nothing new past {@code pos}: fails if the writer is gone. */
    private void checkWriterAlive(long pos) throws IOException {
        long owner = seg.getLongVolatile(base + WRITE_LOCK);
        if (seg.getLongVolatile(base + TAIL) != pos) {
            return;
        }
        if (owner == 0 || !ProcessIdentity.isAlive(owner, 0)) {
            markBroken();
            throw new EOFException("the sending process ended in the middle of a message: pid=" + owner
                    + " (the pipe is broken)");
        }
    }

    /**
     * Waits until a message has started to arrive or the writing end is gone, without taking the read lock.
     *
     * @param deadline {@link System#nanoTime()} deadline, or {@code Long.MAX_VALUE}
     * @param closed tells whether the caller's copy was closed meanwhile
     * @return true if so, false on time-out
     * @throws InterruptedIOException if interrupted
     * @throws IOException if the ring is broken or the copy closed
     */
    boolean poll(long deadline, BooleanSupplier closed) throws IOException {
        Waiter w = null;
        for (;;) {
            checkOpen(closed);
            long head = seg.getLongVolatile(base + HEAD);
            if (seg.getLongVolatile(base + TAIL) != head || seg.getIntVolatile(base + BROKEN) != 0
                    || !holders.mayBeAlive(writerEnd)) {
                return true;
            }
            if (w == null) {
                if (deadline != FOREVER && deadline - System.nanoTime() <= 0) {
                    return !holders.isAlive(writerEnd) && seg.getLongVolatile(base + TAIL) == head;
                }
                w = new Waiter(dataQueue, () -> seg.getLongVolatile(base + TAIL) != head || brokenOr(closed)
                        || !holders.mayBeAlive(writerEnd));
            }
            if (w.idle(true, deadline) && !holders.isAlive(writerEnd)) {
                return true;
            }
            if (deadline != FOREVER && deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    /** @return the queue that writers wake after publishing, and at a close or a break */
    WaitQueue dataQueue() {
        return dataQueue;
    }

    /**
     * @return whether unread bytes are in the ring (a message has arrived, or started to): one volatile read of
     *     each counter, no lock, no wait, no liveness check
     */
    boolean hasData() {
        return seg.getLongVolatile(base + TAIL) != seg.getLongVolatile(base + HEAD);
    }

    /** @return whether a reader is in the middle of a message (it streams one that did not arrive whole) */
    boolean readerMidMessage() {
        return seg.getIntVolatile(base + READ_MID) != 0;
    }

    // ---- checks -----------------------------------------------------------------------------------------------

    private void checkBroken() throws IOException {
        if (seg.getIntVolatile(base + BROKEN) != 0) {
            throw new IOException("the pipe is broken: a process ended in the middle of a message on it");
        }
    }

    private static void checkOpen(BooleanSupplier closed) throws IOException {
        if (closed.getAsBoolean()) {
            throw new IOException("connection is closed (by this process)");
        }
    }

    private static IOException otherEndClosed() {
        return new IOException("the other end of the pipe is closed, or every process that held it has ended: "
                + "the message cannot be delivered");
    }

    private static EOFException endOfStream() {
        return new EOFException("the other end of the pipe is closed (every copy of it, or its processes have "
                + "ended) and every message it sent has been received");
    }
}
