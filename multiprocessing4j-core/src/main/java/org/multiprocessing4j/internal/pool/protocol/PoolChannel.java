package org.multiprocessing4j.internal.pool.protocol;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import org.multiprocessing4j.connection.AuthenticationException;
import org.multiprocessing4j.internal.codec.ByteSink;
import org.multiprocessing4j.internal.os.Nonces;
import org.multiprocessing4j.internal.wire.ChannelStreams;
import org.multiprocessing4j.internal.wire.Frames;

/**
 * One end of the socket between a pool and a worker, carrying {@link PoolMessage}s in {@link Frames}' format. Sends
 * are buffered until {@link #flush()}, so a batch of tasks or results costs one system call; any thread may send
 * (sends are serialized). One thread reads.
 *
 * <pre>
 * Overview.
 * Admission: the worker's first frame is the pool's token, 32 random bytes the pool made when it started, which
 * reached the worker inside its process object (ASSIGN, on the control channel that the launch authenticated with
 * a mutual HMAC challenge) and nowhere else: not on a command line, not in a file. The pool compares it in
 * constant time and drops a connection that presents anything else before decoding a byte of what follows. The
 * socket file lies in this JVM's private runtime directory (0700), so only processes of the same user can even
 * connect, and the worker trusts the socket because its path came over the authenticated control channel. This
 * replaces the mutual HMAC hand-shake the pool once ran on every connection: its two round trips were four
 * process wake-ups on the way to a new pool's first result, which on a loaded 2-core machine cost milliseconds
 * each. The token rides in the same write as HELLO.
 * Reads: after admission the socket is switched to non-blocking mode. A read first spins on the socket
 * for a caller-chosen time (a reply to a short task arrives within microseconds, far below the cost of a
 * blocking wake-up), then blocks in a selector. The spin does not yield the CPU: measured on 2 busy cores, a
 * worker that yielded while waiting for its next task fell into a steady 50 us round trip (7 us without). Writes
 * that find the socket buffer full back off briefly.
 * Send buffer: each end asks for SEND_BUFFER bytes (the system caps it: net.core.wmem_max on Linux). With the
 * default (~208 KiB) a chunk of a big map (500 KB for 125,000 ints) did not fit: the pool's thread that sent it
 * waited until the worker had finished its running chunk and read the rest, and meanwhile sent nothing to the
 * other workers, which sat idle (11-16 such waits per map of a million ints in 8 chunks).
 * Nothing read from a peer is decoded before its token matched; a frame is at most MAX_FRAME bytes.
 * </pre>
 * Only the library's own threads block on it, so a user's interrupt never closes the channel.
 */
public final class PoolChannel implements Closeable {
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;
    /** The size of a pool's token. */
    public static final int TOKEN_BYTES = 32;
    /** The socket send buffer each end asks for: a map's big chunks, and their results, fit whole (see Overview). */
    private static final int SEND_BUFFER = 2 << 20;
    /** A gap between two polls of a spinning read that only a lost CPU explains (a poll takes ~1 us). */
    private static final long PREEMPTED_NANOS = 50_000;

    private final SocketChannel socket;
    private final Selector selector;
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Object writeLock = new Object();
    private final ByteSink pending = new ByteSink(8192, 1 << 20);
    private Selector writeSelector;
    private boolean preempted;

    private PoolChannel(SocketChannel socket) throws IOException {
        this.socket = socket;
        try {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        } catch (IOException | UnsupportedOperationException e) {
            // the system's default stays: big chunks then leave in pieces, as the reader takes them
        }
        socket.configureBlocking(false);
        this.selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        in.flip();
    }

    /**
     * Admits an accepted connection whose first frame is the pool's token (see the Overview).
     *
     * @param socket the connection, in blocking mode
     * @param token the pool's token
     * @return the channel
     * @throws AuthenticationException if the peer sent another token; the socket is closed
     * @throws IOException if the connection ends or its first frame is malformed; the socket is closed
     */
    public static PoolChannel serve(SocketChannel socket, byte[] token) throws IOException {
        try {
            // unbuffered input: the frames that follow the token stay in the socket for the channel to read
            byte[] got = Frames.read(new DataInputStream(ChannelStreams.in(socket)), TOKEN_BYTES);
            if (!MessageDigest.isEqual(got, token)) {
                throw new AuthenticationException("a connection to the pool's socket did not present the pool's"
                        + " token: length=" + got.length + " (it is not one of this pool's workers)");
            }
            return new PoolChannel(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects to a pool's listener; the token leaves with the first flush, ahead of the first message.
     *
     * @param path the listener's socket file
     * @param token the pool's token, as the worker got it inside its process
     * @return the channel
     * @throws IOException if connecting fails
     */
    public static PoolChannel connect(String path, byte[] token) throws IOException {
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException("pool token of the wrong size: length=" + token.length
                    + " expected=" + TOKEN_BYTES);
        }
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(path));
        try {
            PoolChannel channel = new PoolChannel(socket);
            synchronized (channel.writeLock) {
                channel.pending.putBytes(token);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** @return a fresh token for a pool's connections */
    public static byte[] newToken() {
        return Nonces.random(TOKEN_BYTES);
    }

    /**
     * Queues one message; it leaves at the next {@link #flush()}.
     *
     * @param message the message
     */
    public void send(PoolMessage message) {
        synchronized (writeLock) {
            int start = pending.size();
            pending.putInt(0);
            pending.putByte(message.kind());
            message.writeFields(pending);
            pending.putIntAt(start, pending.size() - start - 4);
        }
    }

    /**
     * Writes every queued message.
     *
     * @throws IOException if the peer is gone
     */
    public void flush() throws IOException {
        flush(null);
    }

    /**
     * Writes every queued message; while the socket's buffer is full, calls {@code whileBlocked} between waits. A
     * worker passes a drain of its input here: two peers that both block writing while neither reads would wait
     * for each other forever once both socket buffers are full (big chunks, deep pipelines).
     *
     * @param whileBlocked called while the write cannot proceed, or {@code null}
     * @throws IOException if the peer is gone, or {@code whileBlocked} fails
     */
    public void flush(Drain whileBlocked) throws IOException {
        synchronized (writeLock) {
            if (pending.size() == 0) {
                return;
            }
            ByteBuffer out = ByteBuffer.wrap(pending.array(), 0, pending.size());
            try {
                while (out.hasRemaining()) {
                    if (socket.write(out) == 0) {
                        if (whileBlocked != null) {
                            whileBlocked.drain();
                        }
                        awaitWritable(whileBlocked == null ? 100 : 1);
                    }
                }
            } finally {
                pending.reset();
            }
        }
    }

    /**
     * Writes as much of the queued messages as the socket takes now, without waiting; the rest stays queued for the
     * next flush. For a thread other than the reader's, which cannot drain the input while it would wait.
     *
     * @return whether nothing is left queued
     * @throws IOException if the peer is gone
     */
    public boolean flushAvailable() throws IOException {
        synchronized (writeLock) {
            if (pending.size() == 0) {
                return true;
            }
            ByteBuffer out = ByteBuffer.wrap(pending.array(), 0, pending.size());
            while (out.hasRemaining() && socket.write(out) > 0) {
                // the socket took some: offer it the rest
            }
            pending.dropFirst(out.position());
            return pending.size() == 0;
        }
    }

    /** Reads what has arrived, while a write waits. */
    @FunctionalInterface
    public interface Drain {
        /**
         * Reads what has arrived without blocking.
         *
         * @throws IOException if reading fails
         */
        void drain() throws IOException;
    }

    /** @return whether messages wait for {@link #flush()} */
    public boolean hasPending() {
        synchronized (writeLock) {
            return pending.size() > 0;
        }
    }

    /** Waits until the socket takes more bytes (its buffer was full); under the write lock. */
    private void awaitWritable(long millis) throws IOException {
        if (writeSelector == null) {
            writeSelector = Selector.open();
            socket.register(writeSelector, SelectionKey.OP_WRITE);
        }
        writeSelector.select(millis);
        writeSelector.selectedKeys().clear();
        if (!socket.isOpen()) {
            throw new EOFException("pool channel closed while writing");
        }
    }

    /**
     * Queues one message and writes everything queued.
     *
     * @param message the message
     * @throws IOException if the peer is gone
     */
    public void sendNow(PoolMessage message) throws IOException {
        send(message);
        flush();
    }

    /**
     * Reads the next message if a whole one has arrived, without waiting.
     *
     * @return the message, or {@code null}
     * @throws EOFException once the peer has closed its end or its process has ended
     * @throws IOException if the stream fails or is corrupt
     */
    public PoolMessage poll() throws IOException {
        PoolMessage m = frame();
        if (m == null && fill() > 0) {
            m = frame();
        }
        return m;
    }

    /**
     * Takes the next message if a whole one is in the buffer already, without reading the socket.
     *
     * @return the message, or {@code null}
     * @throws IOException if the stream is corrupt
     */
    public PoolMessage pollBuffered() throws IOException {
        return frame();
    }

    /**
     * Reads the next message, spinning up to {@code spinNanos} before blocking.
     *
     * @param spinNanos how long to spin on the socket before blocking
     * @return the message
     * @throws EOFException once the peer has closed its end or its process has ended
     * @throws IOException if the stream fails or is corrupt
     */
    public PoolMessage receive(long spinNanos) throws IOException {
        long now = System.nanoTime();
        long spinUntil = spinNanos > 0 ? now + spinNanos : 0;
        preempted = false;
        while (true) {
            PoolMessage m = frame();
            if (m != null) {
                return m;
            }
            if (fill() > 0) {
                continue;
            }
            long before = now;
            now = System.nanoTime();
            if (spinUntil != 0 && now < spinUntil) {
                preempted |= now - before > PREEMPTED_NANOS;
                Thread.onSpinWait();
                continue;
            }
            selector.select(1000);
            selector.selectedKeys().clear();
            now = System.nanoTime();
        }
    }

    /**
     * @return whether the last {@link #receive(long)} lost the CPU while it spun: two polls of the socket were
     *     more than PREEMPTED_NANOS apart, so more threads want the cores than there are, and a spin only takes
     *     the CPU from whoever would send the next message
     */
    public boolean spinWasPreempted() {
        return preempted;
    }

    /**
     * Blocks until the socket has bytes to read (or the time passes); for the one thread that owns the selector,
     * after {@link #poll()} found no whole message. It does not touch the read buffer, so it needs no lock while
     * another thread polls.
     *
     * @param millis the longest wait
     * @throws IOException if the selector fails
     */
    public void awaitReadable(long millis) throws IOException {
        selector.select(millis);
        selector.selectedKeys().clear();
    }

    /** The message of a whole frame in the buffer, or null. */
    private PoolMessage frame() throws IOException {
        if (in.remaining() < 4) {
            return null;
        }
        int length = in.getInt(in.position());
        Frames.checkLength(length, MAX_FRAME);
        if (in.remaining() < 4 + length) {
            if (in.capacity() < 4 + length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(4 + length, in.capacity() * 2));
                bigger.put(in);
                bigger.flip();
                in = bigger;
            }
            return null;
        }
        int at = in.position() + 4;
        in.position(at + length);
        return PoolMessage.decode(in.array(), in.arrayOffset() + at, length);
    }

    /** Reads what the socket has without waiting; returns the byte count. */
    private int fill() throws IOException {
        in.compact();
        int n;
        try {
            n = socket.read(in);
        } finally {
            in.flip();
        }
        if (n < 0) {
            throw new EOFException("the peer closed the pool channel");
        }
        return n;
    }

    /** @return whether the socket is still open at this end */
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        selector.wakeup();
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
        synchronized (writeLock) {
            try {
                if (writeSelector != null) {
                    writeSelector.close();
                }
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
