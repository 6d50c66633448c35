package org.multiprocessing4j.internal.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import org.multiprocessing4j.internal.wire.ChannelStreams;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.wire.Frames;
import org.multiprocessing4j.internal.wire.Handshake;

/**
 * One end of the control channel between a parent and a child JVM: an authenticated Unix-domain socket that
 * carries {@link ControlMessage}s. Sends from several threads are serialized; one thread reads.
 * Only the library's own threads block on it, so the interruptible channel is never closed by a user's interrupt.
 */
public final class ControlChannel implements Closeable {
    /** The parent's process payload may be as large as a byte array; a child only ever sends a few bytes. */
    private static final int MAX_FRAME = Integer.MAX_VALUE - 8;
    private static final int MAX_FRAME_FROM_CHILD = 4096;

    private final SocketChannel socket;
    private final int maxIncoming;
    private final DataInputStream in;
    private final DataOutputStream out;

    private ControlChannel(SocketChannel socket, int maxIncoming) {
        this.socket = socket;
        this.maxIncoming = maxIncoming;
        this.in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(socket), 8192));
        this.out = new DataOutputStream(new BufferedOutputStream(ChannelStreams.out(socket), 8192));
    }

    /**
     * Authenticates an accepted connection as the server (the parent).
     *
     * @param socket the connection, in blocking mode
     * @param key the launch secret
     * @return the channel
     * @throws IOException if the hand-shake fails; the socket is closed
     */
    public static ControlChannel serve(SocketChannel socket, byte[] key) throws IOException {
        ControlChannel channel = new ControlChannel(socket, MAX_FRAME_FROM_CHILD);
        try {
            Handshake.serve(channel.in, channel.out, key);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Connects to a parent's listener and authenticates as the client (the child).
     *
     * @param path the listener's socket file
     * @param key the launch secret
     * @return the channel
     * @throws IOException if connecting or the hand-shake fails
     */
    public static ControlChannel connect(String path, byte[] key) throws IOException {
        return connect(SocketChannel.open(StandardProtocolFamily.UNIX), path, key, () -> { });
    }

    /**
     * Connects an open Unix-domain socket to a parent's listener, runs {@code beforeHandshake}, then authenticates as
     * the client (the child). Opening the first Unix-domain socket of a JVM is its costly part (its socket and
     * security classes initialize), so a child opens it while it still waits for its bootstrap line; and the parent
     * treats the child as started once the hand-shake ends, so a child that must be ready for the parent's signals
     * first waits for that in {@code beforeHandshake}.
     *
     * @param socket an open, unconnected Unix-domain socket, in blocking mode; closed if this fails
     * @param path the listener's socket file
     * @param key the launch secret
     * @param beforeHandshake runs between the connection and the hand-shake
     * @return the channel
     * @throws IOException if connecting or the hand-shake fails
     */
    public static ControlChannel connect(SocketChannel socket, String path, byte[] key, Runnable beforeHandshake)
            throws IOException {
        try {
            socket.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        ControlChannel channel = new ControlChannel(socket, MAX_FRAME);
        try {
            beforeHandshake.run();
            Handshake.connect(channel.in, channel.out, key);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Sends one message.
     *
     * @param message the message
     * @throws IOException if the peer is gone
     */
    public void send(ControlMessage message) throws IOException {
        byte[] frame = ControlMessage.encodeFrame(message);
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    /**
     * Reads the next message, blocking until one arrives.
     *
     * @return the message
     * @throws java.io.EOFException once the peer has closed its end or its process has ended
     * @throws IOException if the stream fails or is corrupt
     */
    public ControlMessage receive() throws IOException {
        return ControlMessage.decode(Frames.read(in, maxIncoming));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
