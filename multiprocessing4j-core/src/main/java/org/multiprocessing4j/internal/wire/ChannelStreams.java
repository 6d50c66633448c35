package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Streams over a blocking {@link SocketChannel} that read and write through the channel's own read and write
 * locks, so one thread can block in a read while another writes. ({@code Channels.newInputStream} holds the
 * channel's blocking lock for the whole read, which stalls every writer.) A stream is used by one thread at a time
 * (its callers serialize), and moves up to {@link #DIRECT_BYTES} at a time through a direct buffer of its own.
 */
public final class ChannelStreams {
    /**
     * The most bytes a read or write moves through the stream's own direct buffer: the size of the buffered streams
     * the control channel wraps around these. Given a heap buffer, the JDK fetches a temporary direct buffer from a
     * per-thread cache, copies through it and puts it back, every call; a control channel's few calls run in the
     * interpreter, where that path is a good part of their cost. Paced starts (a ready JVM handed its ASSIGN, the
     * one write of the parent and the one read of the child on the task's path), four alternating pairs of 20:
     * median 0.66-0.675 ms to the task's first line, against 0.69-0.73 ms. Larger transfers keep the JDK's path.
     */
    private static final int DIRECT_BYTES = 8192;

    private ChannelStreams() {
    }

    /**
     * @param channel a channel in blocking mode
     * @return a stream that reads from it
     */
    public static InputStream in(SocketChannel channel) {
        return new InputStream() {
            private final ByteBuffer direct = ByteBuffer.allocateDirect(DIRECT_BYTES);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buffer = len <= DIRECT_BYTES ? direct.clear().limit(len) : ByteBuffer.wrap(b, off, len);
                int n;
                do {
                    n = channel.read(buffer);
                } while (n == 0);
                if (n > 0 && buffer == direct) {
                    direct.flip().get(b, off, n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /**
     * @param channel a channel in blocking mode
     * @return a stream that writes to it
     */
    public static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            private final ByteBuffer direct = ByteBuffer.allocateDirect(DIRECT_BYTES);

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = len <= DIRECT_BYTES ? direct.clear().put(b, off, len).flip()
                        : ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
