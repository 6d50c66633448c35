package org.multiprocessing4j.internal.wait;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.resource.ProcessIdentity;

/**
 * The waker's side of {@link ThreadBell}s: this process's connections to the bells of threads of other processes,
 * one per (pid, thread), made on the first ring and kept.
 *
 * <pre>
 * Overview.
 *  A ring writes one byte. The connection is non-blocking: a write never waits behind a waiter that has not read
 *  (a full socket buffer means bytes are pending there, so the waiter wakes anyway), and, unlike a blocking
 *  channel, an interrupt of the waker does not close it (NIO closes only blocking channels on interrupt).
 *  A write that fails (the waiter's thread or process ended, its bell was closed) drops the connection; one
 *  reconnect is tried, which fails at once if the socket file is gone.
 *  Bounds: a new connection first drops those to processes that have ended; past MAX connections all are dropped
 *  (they are remade on demand), so a long-lived waker among short-lived processes holds no dead descriptors.
 * </pre>
 */
final class BellLines {
    private static final int MAX = 256;
    private static final Map<Long, SocketChannel> LINES = new ConcurrentHashMap<>();

    private BellLines() {
    }

    /**
     * Rings the bell of thread {@code slot} of process {@code pid} (not this one).
     *
     * @param pid the waiter's process
     * @param slot the waiter's {@link ThreadSlots} number
     * @return {@code false} if it has no reachable bell (its thread or process ended)
     */
    static boolean ring(long pid, int slot) {
        long key = pid << 32 | slot;
        for (int attempt = 0; attempt < 2; attempt++) {
            SocketChannel ch = LINES.get(key);
            if (ch == null) {
                ch = connect(pid, slot);
                if (ch == null) {
                    return false;
                }
                SocketChannel raced = LINES.putIfAbsent(key, ch);
                if (raced != null) {
                    PeerSockets.closeQuietly(ch);
                    ch = raced;
                }
            }
            try {
                ch.write(ByteBuffer.wrap(new byte[] {1})); // 0 written: its buffer is full, so it is woken anyway
                return true;
            } catch (IOException e) {
                LINES.remove(key, ch);
                PeerSockets.closeQuietly(ch);
            }
        }
        return false;
    }

    private static SocketChannel connect(long pid, int slot) {
        Path socket = PeerSockets.find(pid, ThreadBell.fileName(slot));
        if (socket == null) {
            return null;
        }
        prune();
        try {
            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            return null; // also an interrupted connect: the waiter then sees WOKEN at its next poll
        }
    }

    /** Drops lines to processes that have ended, and every line past MAX. */
    private static void prune() {
        boolean all = LINES.size() >= MAX;
        Map<Long, Boolean> alive = new HashMap<>();
        LINES.entrySet().removeIf(e -> {
            if (all || !alive.computeIfAbsent(e.getKey() >>> 32, pid -> ProcessIdentity.isAlive(pid, 0))) {
                PeerSockets.closeQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }
}
