package org.multiprocessing4j.internal.wire;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.connection.BufferTooShortException;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * A {@link Connection} over a stream socket (TCP or Unix-domain): frames of docs/wire-protocol.md ("Framing") on a
 * {@link NonBlockingSocket}, objects through {@link JdkCodec}.
 *
 * <pre>
 * Overview.
 *  send:  encode (outside any lock), then under the write lock: header (+ payload when it fits 64 KiB) in one
 *         write(2); a bigger payload follows straight from the caller's array in 1 MiB slices.
 *  recv:  under the read lock: wait (interruptibly) for the first byte; read the header; refuse a length that no
 *         Java array can hold; read the payload into an array that grows (from 1 MiB, doubling) only as bytes
 *         arrive, so a forged length allocates no more than twice what the peer really sent.
 *  A length refused or a stream that ends inside a frame leaves the stream out of step: the connection then stops
 *  being readable (every later receive says why), as CPython's does after a bad message length.
 * </pre>
 */
public final class SocketConnection implements Connection, Selectable {
    /** The longest message a Java array can hold. */
    public static final int MAX_MESSAGE = Integer.MAX_VALUE - 8;
    /** How long an accepted or connecting peer may take over the hand-shake. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);

    private final NonBlockingSocket socket;
    private volatile String unreadable;

    private SocketConnection(NonBlockingSocket socket) {
        this.socket = socket;
    }

    /**
     * Wraps a connected channel without a hand-shake (both ends in this process, or already authenticated).
     *
     * @param channel the channel
     * @return the connection
     * @throws IOException if the channel cannot be set up
     */
    public static SocketConnection open(SocketChannel channel) throws IOException {
        return new SocketConnection(new NonBlockingSocket(channel));
    }

    /**
     * Wraps a channel and runs the hand-shake of {@link Handshake} on it, as the server or the client. On failure
     * the channel is closed.
     *
     * @param channel the channel, connected
     * @param key the auth key
     * @param server whether this side is the server (the accepting side)
     * @return the authenticated connection
     * @throws org.multiprocessing4j.connection.AuthenticationException if the peer does not know the key
     * @throws SocketTimeoutException if the peer takes longer than {@link #HANDSHAKE_TIMEOUT}
     * @throws IOException if the stream fails
     */
    public static SocketConnection authenticate(SocketChannel channel, byte[] key, boolean server)
            throws IOException {
        SocketConnection c;
        try {
            c = open(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try {
            c.handshake(key, server);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void handshake(byte[] key, boolean server) throws IOException {
        long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT.toNanos();
        socket.lockRead(NonBlockingSocket.FOREVER);
        try {
            socket.lockWrite();
            try {
                DataInputStream in = new DataInputStream(handshakeIn(deadline));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(handshakeOut(), 512));
                if (server) {
                    Handshake.serve(in, out, key);
                } else {
                    Handshake.connect(in, out, key);
                }
            } finally {
                socket.unlockWrite();
            }
        } finally {
            socket.unlockRead();
        }
    }

    private InputStream handshakeIn(long deadline) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!socket.awaitData(deadline)) {
                    throw new SocketTimeoutException("the peer did not complete the auth-key hand-shake within "
                            + HANDSHAKE_TIMEOUT.toSeconds() + " s");
                }
                return socket.readBuffered(b, off, len);
            }
        };
    }

    private OutputStream handshakeOut() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                socket.writeFully(ByteBuffer.wrap(b, off, len), true);
            }
        };
    }

    @Override
    public void send(Object obj) throws IOException {
        byte[] bytes = JdkCodec.INSTANCE.encode(obj);
        sendFrame(bytes, 0, bytes.length);
    }

    @Override
    public void sendBytes(byte[] buf, int off, int size) throws IOException {
        Objects.checkFromIndexSize(off, size, buf.length);
        sendFrame(buf, off, size);
    }

    private void sendFrame(byte[] buf, int off, int size) throws IOException {
        socket.lockWrite();
        try {
            ByteBuffer out = socket.outBuffer();
            out.clear();
            Frames.putHeader(out, size);
            if (size <= out.remaining()) {
                out.put(buf, off, size).flip();
                socket.writeFully(out, true);
            } else {
                out.flip();
                socket.writeFully(out, true);
                socket.writeFully(ByteBuffer.wrap(buf, off, size), false);
            }
        } finally {
            socket.unlockWrite();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() throws IOException {
        byte[] bytes = recvBytes(MAX_MESSAGE);
        return (T) JdkCodec.INSTANCE.decode(bytes, JdkCodec.receiverLoader());
    }

    @Override
    public byte[] recvBytes() throws IOException {
        return recvBytes(MAX_MESSAGE);
    }

    @Override
    public byte[] recvBytes(int maxLength) throws IOException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("negative maxLength: maxLength=" + maxLength);
        }
        socket.lockRead(NonBlockingSocket.FOREVER);
        try {
            int length = beginFrame();
            if (length > maxLength) {
                unreadable = "a message was longer than maxLength (length=" + length + " maxLength=" + maxLength
                        + "); its bytes are still in the stream";
                throw new IOException("bad message length: length=" + length + " maxLength=" + maxLength
                        + "; the connection is no longer readable");
            }
            return readPayload(length);
        } finally {
            socket.unlockRead();
        }
    }

    @Override
    public int recvBytesInto(byte[] buf, int off) throws IOException {
        Objects.checkIndex(off, buf.length + 1);
        socket.lockRead(NonBlockingSocket.FOREVER);
        try {
            int length = beginFrame();
            int room = buf.length - off;
            if (length > room) {
                throw new BufferTooShortException(readPayload(length), room);
            }
            readOrBreak(buf, off, length);
            return length;
        } finally {
            socket.unlockRead();
        }
    }

    /** Waits for a frame to start and reads its header; the read lock is held. */
    private int beginFrame() throws IOException {
        checkReadable();
        socket.awaitData(NonBlockingSocket.FOREVER);
        if (socket.atEnd()) {
            throw new EOFException("the other end of the connection is closed and every message it sent has "
                    + "been received");
        }
        try {
            int head = socket.readInt();
            if (head >= 0) {
                return head;
            }
            if (head == Frames.LONG_LENGTH) {
                long length = socket.readLong();
                if (length > Integer.MAX_VALUE) {
                    throw new StreamCorruptedException("message too long for a Java array: length=" + length
                            + " max=" + MAX_MESSAGE);
                }
                if (length >= 0) {
                    return (int) length;
                }
            }
            throw new StreamCorruptedException("corrupt frame header: first word=" + head
                    + " (the peer is not a multiprocessing4j endpoint of this version, or the stream is corrupt)");
        } catch (IOException e) {
            unreadable = "the stream broke inside a frame header: " + e.getMessage();
            throw e;
        }
    }

    private byte[] readPayload(int length) throws IOException {
        if (length > MAX_MESSAGE) {
            unreadable = "a message was too long for a Java array: length=" + length;
            throw new StreamCorruptedException(unreadable);
        }
        byte[] buf = new byte[Math.min(length, NonBlockingSocket.CHUNK)];
        int have = 0;
        for (;;) {
            readOrBreak(buf, have, buf.length - have);
            have = buf.length;
            if (have == length) {
                return buf;
            }
            buf = java.util.Arrays.copyOf(buf, (int) Math.min(length, 2L * have));
        }
    }

    private void readOrBreak(byte[] buf, int off, int len) throws IOException {
        try {
            socket.readFully(buf, off, len);
        } catch (IOException e) {
            unreadable = "the stream broke inside a message: " + e.getMessage();
            throw e;
        }
    }

    private void checkReadable() throws IOException {
        String why = unreadable;
        if (why != null) {
            throw new IOException("connection is not readable: " + why);
        }
    }

    @Override
    public boolean poll(Duration timeout) throws IOException {
        long deadline = timeout == null ? NonBlockingSocket.FOREVER : System.nanoTime() + timeout.toNanos();
        if (!socket.lockRead(deadline)) {
            return false;
        }
        try {
            checkReadable();
            return socket.awaitData(deadline);
        } finally {
            socket.unlockRead();
        }
    }

    /** Ends the sending direction only: the peer reads end of stream after the last message. */
    public void shutdownOutput() {
        socket.shutdownOutput();
    }

    @Override
    public NonBlockingSocket selectableSocket() {
        return socket;
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isReadable() {
        return unreadable == null;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void close() {
        socket.close();
    }
}
