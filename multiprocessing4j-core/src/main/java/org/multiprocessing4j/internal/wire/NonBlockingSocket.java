package org.multiprocessing4j.internal.wire;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SocketChannel} in non-blocking mode, read and written with blocking semantics by waiting in
 * {@link Selector}s: an interrupt wakes a waiting thread without closing the channel (a blocking NIO channel
 * closes itself when a thread blocked on it is interrupted, which would end the connection for every thread).
 *
 * <pre>
 * Overview.
 *  - One reader and one writer at a time: {@link #lockRead}/{@link #lockWrite} (fair to neither; a reader never
 *    waits for a writer). Every read/write method below requires the matching lock.
 *  - Reads go through a 64 KiB buffer ("in", kept in read mode), so a small frame costs one read(2); bulk payloads
 *    bypass it and are read straight into the caller's array in chunks of at most {@link #CHUNK} (the JDK copies a
 *    heap buffer through a temporary direct buffer of the same size, so chunks bound that too).
 *  - Interrupts: a wait is "interruptible" (throws {@link InterruptedIOException}, the thread's interrupt status
 *    stays set) only while nothing of the current frame has been consumed; once a frame is under way the
 *    interrupt is deferred (cleared while waiting, set again by {@link #unlockRead}/{@link #unlockWrite}), so the
 *    stream never loses its framing.
 *  - close() closes the channel and both selectors: a thread waiting in either wakes and gets an IOException.
 * </pre>
 */
public final class NonBlockingSocket implements Closeable {
    /** The largest slice handed to one read(2) or write(2). */
    public static final int CHUNK = 1 << 20;
    /** A deadline that never comes. */
    public static final long FOREVER = Long.MAX_VALUE;

    private static final int BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
    private volatile boolean closed;
    private boolean eof;
    private boolean readDeferred;
    private boolean writeDeferred;

    /**
     * Takes over a connected channel and puts it into non-blocking mode.
     *
     * @param channel the channel
     * @throws IOException if the channel is closed or a selector cannot be opened
     */
    public NonBlockingSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        Selector r = Selector.open();
        Selector w = null;
        try {
            w = Selector.open();
            channel.register(r, SelectionKey.OP_READ);
            channel.register(w, SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            r.close();
            if (w != null) {
                w.close();
            }
            throw e;
        }
        this.readSelector = r;
        this.writeSelector = w;
    }

    /** @return the channel (for selecting over several connections; never read or write it directly) */
    public SocketChannel channel() {
        return channel;
    }

    /** @return the buffer that bulk writers may fill with a header and a small payload, under the write lock */
    public ByteBuffer outBuffer() {
        return out;
    }

    /**
     * Takes the read lock.
     *
     * @param deadline {@link System#nanoTime()} deadline, or {@link #FOREVER}
     * @return false if the deadline passed first
     * @throws InterruptedIOException if the thread is interrupted while waiting (its status stays set)
     */
    public boolean lockRead(long deadline) throws InterruptedIOException {
        return lock(readLock, deadline);
    }

    /** Releases the read lock and restores an interrupt that arrived while a frame was under way. */
    public void unlockRead() {
        boolean restore = readDeferred;
        readDeferred = false;
        readLock.unlock();
        if (restore) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the write lock.
     *
     * @throws InterruptedIOException if the thread is interrupted while waiting (its status stays set)
     */
    public void lockWrite() throws InterruptedIOException {
        lock(writeLock, FOREVER);
    }

    /** Releases the write lock and restores a deferred interrupt. */
    public void unlockWrite() {
        boolean restore = writeDeferred;
        writeDeferred = false;
        writeLock.unlock();
        if (restore) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean lock(ReentrantLock lock, long deadline) throws InterruptedIOException {
        try {
            if (deadline == FOREVER) {
                lock.lockInterruptibly();
                return true;
            }
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    /**
     * Waits until a byte is buffered or the stream has ended. Interruptible.
     *
     * @param deadline {@link System#nanoTime()} deadline, or {@link #FOREVER}
     * @return true if a byte is buffered or the peer has ended the stream; false on time-out
     * @throws InterruptedIOException if the thread is interrupted (its status stays set)
     * @throws IOException if the connection is closed or fails
     */
    public boolean awaitData(long deadline) throws IOException {
        while (!in.hasRemaining() && !eof) {
            if (fill(deadline, true) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies what is buffered, at most {@code len} bytes, after {@link #awaitData} returned true.
     *
     * @param dst the array
     * @param off where to start
     * @param len the most to copy
     * @return how many bytes were copied; -1 at end of stream
     */
    public int readBuffered(byte[] dst, int off, int len) {
        if (!in.hasRemaining()) {
            return eof ? -1 : 0;
        }
        int n = Math.min(len, in.remaining());
        in.get(dst, off, n);
        return n;
    }

    /** @return true if the peer has ended the stream and nothing is buffered */
    public boolean atEnd() {
        return eof && !in.hasRemaining();
    }

    /**
     * Reads a big-endian int, waiting (interrupts deferred) for bytes that have not arrived.
     *
     * @return the int
     * @throws EOFException if the stream ends first
     * @throws IOException if the connection is closed or fails
     */
    public int readInt() throws IOException {
        require(4);
        return in.getInt();
    }

    /**
     * Reads a big-endian long, as {@link #readInt()}.
     *
     * @return the long
     * @throws IOException as {@link #readInt()}
     */
    public long readLong() throws IOException {
        require(8);
        return in.getLong();
    }

    private void require(int n) throws IOException {
        while (in.remaining() < n) {
            if (eof) {
                throw new EOFException("stream ended inside a frame header: have=" + in.remaining() + " need=" + n
                        + " (the peer closed or died mid-message, or the stream is corrupt)");
            }
            fill(FOREVER, false);
        }
    }

    /**
     * Reads exactly {@code len} bytes into {@code dst} (interrupts deferred).
     *
     * @param dst the array
     * @param off where to start
     * @param len how many bytes
     * @throws EOFException if the stream ends first
     * @throws IOException if the connection is closed or fails
     */
    public void readFully(byte[] dst, int off, int len) throws IOException {
        int n = Math.min(len, in.remaining());
        in.get(dst, off, n);
        off += n;
        len -= n;
        while (len > 0) {
            if (eof) {
                throw new EOFException("stream ended inside a frame: missing=" + len
                        + " bytes (the peer closed or died mid-message, or the stream is corrupt)");
            }
            if (len >= BUFFER) {
                int got = readDirect(ByteBuffer.wrap(dst, off, Math.min(len, CHUNK)));
                off += got;
                len -= got;
            } else {
                fill(FOREVER, false);
                n = Math.min(len, in.remaining());
                in.get(dst, off, n);
                off += n;
                len -= n;
            }
        }
    }

    private int readDirect(ByteBuffer target) throws IOException {
        for (;;) {
            int n = channel.read(target);
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                eof = true;
                return 0;
            }
            await(readSelector, FOREVER, false, true);
        }
    }

    /** Reads once into the buffer, waiting if nothing is there; returns bytes read, -1 at end, 0 on time-out. */
    private int fill(long deadline, boolean interruptible) throws IOException {
        for (;;) {
            checkOpen();
            in.compact();
            int n;
            try {
                n = channel.read(in);
            } finally {
                in.flip();
            }
            if (n < 0) {
                eof = true;
                return -1;
            }
            if (n > 0) {
                return n;
            }
            if (!await(readSelector, deadline, interruptible, true)) {
                return 0;
            }
        }
    }

    /**
     * Writes every remaining byte of {@code src}, waiting while the socket's buffer is full.
     *
     * @param src the bytes
     * @param interruptible whether an interrupt may abort the write (only before the frame's first byte)
     * @throws InterruptedIOException if interruptible and the thread is interrupted before anything was written
     * @throws IOException if the peer is gone (broken pipe, reset) or the connection is closed
     */
    public void writeFully(ByteBuffer src, boolean interruptible) throws IOException {
        while (src.hasRemaining()) {
            checkOpen();
            ByteBuffer slice = src;
            int limit = src.limit();
            if (src.remaining() > CHUNK && !src.isDirect()) {
                src.limit(src.position() + CHUNK);
            }
            int n;
            try {
                n = channel.write(slice);
            } finally {
                src.limit(limit);
            }
            if (n > 0) {
                interruptible = false;
            } else {
                await(writeSelector, FOREVER, interruptible, false);
            }
        }
    }

    private boolean await(Selector selector, long deadline, boolean interruptible, boolean reading)
            throws IOException {
        if (interruptible && Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
        long millis = 0;
        if (deadline != FOREVER) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
        }
        try {
            selector.select(millis);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw closedException();
        }
        if (Thread.interrupted()) {
            if (interruptible) {
                Thread.currentThread().interrupt();
                throw interrupted();
            }
            if (reading) {
                readDeferred = true;
            } else {
                writeDeferred = true;
            }
        }
        checkOpen();
        return true;
    }

    /** Ends the writing direction: the peer reads end of stream once it has read what was sent. */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // closed already
        }
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw closedException();
        }
    }

    private static IOException closedException() {
        return new IOException("connection is closed (by this process)");
    }

    private static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted while waiting on a connection; the connection stays open "
                + "and the thread's interrupt status stays set");
    }

    /** Closes the channel and wakes every thread that waits on it; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
        try {
            readSelector.close();
        } catch (IOException e) {
            // nothing more to release
        }
        try {
            writeSelector.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
