package org.multiprocessing4j.internal.pool.protocol;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.wire.ChannelStreams;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * One end of the socket between a pool and a worker: authenticated with {@link Handshake} on the process auth key,
 * then carrying {@link PoolMessage}s in {@link Frames}' format. Sends are buffered until {@link #flush()}, so a
 * batch of tasks or results costs one system call; any thread may send (sends are serialized). One thread reads.
 *
 * <pre>
 * Overview: after the hand-shake the socket is switched to non-blocking mode. A read first spins on the socket
 * for a caller-chosen time (a reply to a short task arrives within microseconds, far below the cost of a
 * blocking wake-up), then blocks in a selector. Writes that find the socket buffer full back off briefly.
 * Nothing read from a peer is decoded before the hand-shake succeeded; a frame is at most MAX_FRAME bytes.
 * </pre>
 * Only the library's own threads block on it, so a user's interrupt never closes the channel.
 */
public final class PoolChannel implements Closeable {
    private static final int MAX_FRAME = Integer.MAX_VALUE - 64;

    private final SocketChannel socket;
    private final Selector selector;
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Object writeLock = new Object();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);
    private final DataOutputStream pendingData = new DataOutputStream(pending);
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(256);
    private final DataOutputStream scratchData = new DataOutputStream(scratch);

    private PoolChannel(SocketChannel socket) throws IOException {
        this.socket = socket;
        socket.configureBlocking(false);
        this.selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        in.flip();
    }

    /**
     * Authenticates an accepted connection as the server (the pool).
     *
     * @param socket the connection, in blocking mode
     * @param key the auth key
     * @return the channel
     * @throws IOException if the hand-shake fails; the socket is closed
     */
    public static PoolChannel serve(SocketChannel socket, byte[] key) throws IOException {
        try {
            // unbuffered input: nothing past the hand-shake may be swallowed by a buffer we then drop
            Handshake.serve(new DataInputStream(ChannelStreams.in(socket)),
                    new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(socket), 512)), key);
            return new PoolChannel(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects to a pool's listener and authenticates as the client (the worker).
     *
     * @param path the listener's socket file
     * @param key the auth key
     * @return the channel
     * @throws IOException if connecting or the hand-shake fails
     */
    public static PoolChannel connect(String path, byte[] key) throws IOException {
        SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(path));
        try {
            // unbuffered input: nothing past the hand-shake may be swallowed by a buffer we then drop
            Handshake.connect(new DataInputStream(ChannelStreams.in(socket)),
                    new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(socket), 512)), key);
            return new PoolChannel(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Queues one message; it leaves at the next {@link #flush()}.
     *
     * @param message the message
     */
    public void send(PoolMessage message) {
        synchronized (writeLock) {
            try {
                scratch.reset();
                scratchData.writeByte(message.kind());
                message.writeFields(scratchData);
                pendingData.writeInt(scratch.size());
                scratch.writeTo(pending);
            } catch (IOException e) {
                throw new IllegalStateException("in-memory stream failed", e);
            }
        }
    }

    /**
     * Writes every queued message.
     *
     * @throws IOException if the peer is gone
     */
    public void flush() throws IOException {
        synchronized (writeLock) {
            if (pending.size() == 0) {
                return;
            }
            ByteBuffer out = ByteBuffer.wrap(pending.toByteArray());
            pending.reset();
            long backoff = 1_000;
            while (out.hasRemaining()) {
                if (socket.write(out) == 0) {
                    LockSupport.parkNanos(backoff);
                    backoff = Math.min(backoff * 2, 1_000_000);
                    if (!socket.isOpen()) {
                        throw new EOFException("pool channel closed while writing");
                    }
                }
            }
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
        byte[] frame = frame();
        if (frame == null && fill() > 0) {
            frame = frame();
        }
        return frame == null ? null : PoolMessage.decode(frame);
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
        long spinUntil = spinNanos > 0 ? System.nanoTime() + spinNanos : 0;
        while (true) {
            byte[] frame = frame();
            if (frame != null) {
                return PoolMessage.decode(frame);
            }
            if (fill() > 0) {
                continue;
            }
            if (spinUntil != 0 && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            selector.select(1000);
            selector.selectedKeys().clear();
        }
    }

    /** A whole frame from the buffer, or null. */
    private byte[] frame() throws IOException {
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
        in.position(in.position() + 4);
        byte[] payload = new byte[length];
        in.get(payload);
        return payload;
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
    }
}
