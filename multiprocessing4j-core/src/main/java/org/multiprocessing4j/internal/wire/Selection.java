package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.connection.Connection;

/**
 * {@link Connection#select}: waits for any of several connections.
 *
 * <pre>
 * Overview: ask each connection poll() without waiting (it sees bytes already buffered and the end of stream);
 * if none is ready, register every channel with a fresh Selector, wait, and ask again. A connection that another
 * thread is receiving from at that moment reports not ready. When a shared-memory pipe end is among them (no
 * channel to select on), poll them all in turn with a growing sleep (at most 1 ms).
 * </pre>
 */
public final class Selection {
    private Selection() {
    }

    /** Shared-memory connections have no selectable channel: ask each in turn, sleeping a little longer each time. */
    private static List<Connection> pollAll(Collection<? extends Connection> connections, long deadline)
            throws IOException {
        long start = System.nanoTime();
        for (;;) {
            List<Connection> ready = new ArrayList<>();
            for (Connection c : connections) {
                if (c.poll(Duration.ZERO)) {
                    ready.add(c);
                }
            }
            long now = System.nanoTime();
            if (!ready.isEmpty() || (deadline != NonBlockingSocket.FOREVER && deadline - now <= 0)) {
                return ready;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted in Connection.select; the connections stay open "
                        + "and the thread's interrupt status stays set");
            }
            long waited = now - start;
            if (waited < 50_000) {
                Thread.onSpinWait();
            } else {
                long park = Math.min(1_000_000, Math.max(20_000, waited / 8));
                java.util.concurrent.locks.LockSupport.parkNanos(deadline == NonBlockingSocket.FOREVER ? park
                        : Math.min(park, Math.max(1, deadline - now)));
            }
        }
    }

    /**
     * Implements {@link Connection#select}.
     *
     * @param connections the connections
     * @param timeout the time-out, {@code null} for none
     * @return the ready ones
     * @throws IOException as {@link Connection#select}
     */
    public static List<Connection> select(Collection<? extends Connection> connections, Duration timeout)
            throws IOException {
        Objects.requireNonNull(connections, "connections");
        long deadline = timeout == null ? NonBlockingSocket.FOREVER : System.nanoTime() + timeout.toNanos();
        boolean allSockets = true;
        for (Connection c : connections) {
            Objects.requireNonNull(c, "a connection passed to select is null");
            allSockets &= c instanceof Selectable;
        }
        if (!allSockets) {
            return pollAll(connections, deadline);
        }
        for (;;) {
            List<Connection> ready = new ArrayList<>();
            for (Connection c : connections) {
                if (c.poll(Duration.ZERO)) {
                    ready.add(c);
                }
            }
            if (!ready.isEmpty()) {
                return ready;
            }
            long left = deadline - System.nanoTime();
            if (deadline != NonBlockingSocket.FOREVER && left <= 0) {
                return ready;
            }
            try (Selector selector = Selector.open()) {
                for (Connection c : connections) {
                    ((Selectable) c).selectableSocket().channel().register(selector, SelectionKey.OP_READ);
                }
                selector.select(deadline == NonBlockingSocket.FOREVER ? 0
                        : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            } catch (java.nio.channels.ClosedChannelException e) {
                throw new IOException("a connection passed to select is closed", e);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted in Connection.select; the connections stay open "
                        + "and the thread's interrupt status stays set");
            }
        }
    }
}
