package org.multiprocessing4j.benchmarks;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * The targets of process_start, in a class of their own: the child loads the class that made a lambda to
 * deserialize it, and this one is as small as a user's would be (the bench's own class is not charged to start-up).
 */
final class StartTargets {
    private StartTargets() {
    }

    /**
     * Python's {@code signal_target}: takes the child's timestamp on its first line, then connects to the bench's
     * Unix-domain socket at {@code path} and writes it (8 bytes, little-endian).
     */
    static SerializableRunnable signal(String path) {
        return () -> {
            long t = System.nanoTime(); // first line of user code in the child
            send(path, t);
        };
    }

    /** Python's {@code empty_target}. */
    static SerializableRunnable empty() {
        return () -> { };
    }

    private static void send(String path, long t) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(t);
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
