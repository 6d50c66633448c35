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
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.internal.wait.Awaitable;
import org.multiprocessing4j.internal.wait.WaitQueue;

/**
 * {@link Connection#select}: waits for any of several connections.
 *
 * <pre>
 * Overview: ask each connection poll() without waiting (it sees bytes already buffered and the end of stream);
 * if none is ready, register every channel with a fresh Selector, wait, and ask again. A connection that another
 * thread is receiving from at that moment reports not ready.
 * Shared-memory pipe ends only ({@link Awaitable}): spin 50 us on their counters; then enter every end's arrivals
 * queue, ask again (a message sent before the entry is seen here, one sent after it wakes this thread), and park
 * once on all of them (WaitQueue.parkAny) until a sender wakes one, the deadline, or the round has passed (a writer
 * that dies wakes nobody: the next round's poll() sees it): rounds of 50 ms for the first 200 ms, then of 250 ms,
 * as a pipe's own waits check their peer.
 * A mix of both kinds: poll them all in turn with a growing sleep (at most 1 ms).
 * </pre>
 */
public final class Selection {
    private Selection() {
    }

    private static final long SPIN_NANOS = 50_000;
    private static final long PARK_ROUND_NANOS = 50_000_000;
    private static final long SLOW_ROUND_AFTER_NANOS = 200_000_000;
    private static final long SLOW_PARK_ROUND_NANOS = 250_000_000;
    /** Overrides both round lengths, in ms (tests make it long, so that only a sender's wake can end a select). */
    private static final long ROUND_MILLIS = Long.getLong("mp4j.select.roundMillis", 0);

    /** Shared-memory pipe ends only: park on all their arrival queues at once. */
    private static List<Connection> awaitAll(List<Connection> connections, long deadline) throws IOException {
        int n = connections.size();
        WaitQueue[] queues = new WaitQueue[n];
        int[] slots = new int[n];
        long start = System.nanoTime();
        long spinUntil = start + SPIN_NANOS;
        while (true) {
            List<Connection> ready = readyOnes(connections);
            if (!ready.isEmpty() || (deadline != NonBlockingSocket.FOREVER && deadline - System.nanoTime() <= 0)) {
                return ready;
            }
            checkInterrupt();
            while (System.nanoTime() - spinUntil < 0 && !anyHasData(connections)) {
                Thread.onSpinWait();
            }
            if (anyHasData(connections)) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                queues[k] = ((Awaitable) connections.get(k)).arrivals();
            }
            int entered = 0;
            try {
                while (entered < n && (slots[entered] = queues[entered].enter()) >= 0) {
                    entered++;
                }
                ready = readyOnes(connections);
                if (!ready.isEmpty()) {
                    return ready;
                }
                if (entered < n) {
                    LockSupport.parkNanos(1_000_000); // a queue's waiter list is full: poll
                } else if (WaitQueue.parkAny(queues, slots, deadline, true, round(System.nanoTime() - start))
                        == WaitQueue.Wake.INTERRUPTED) {
                    Thread.currentThread().interrupt();
                    checkInterrupt();
                }
            } finally {
                for (int k = 0; k < entered; k++) {
                    queues[k].leave(slots[k]); // a wake is not passed on: senders wake every waiter
                }
            }
        }
    }

    private static long round(long waited) {
        if (ROUND_MILLIS > 0) {
            return TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
        }
        return waited < SLOW_ROUND_AFTER_NANOS ? PARK_ROUND_NANOS : SLOW_PARK_ROUND_NANOS;
    }

    private static List<Connection> readyOnes(Collection<? extends Connection> connections) throws IOException {
        List<Connection> ready = new ArrayList<>();
        for (Connection c : connections) {
            if (c.poll(Duration.ZERO)) {
                ready.add(c);
            }
        }
        return ready;
    }

    private static boolean anyHasData(List<Connection> connections) {
        for (Connection c : connections) {
            if (((Awaitable) c).hasData()) {
                return true;
            }
        }
        return false;
    }

    private static void checkInterrupt() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted in Connection.select; the connections stay open "
                    + "and the thread's interrupt status stays set");
        }
    }

    /** Shared-memory connections have no selectable channel: ask each in turn, sleeping a little longer each time. */
    private static List<Connection> pollAll(Collection<? extends Connection> connections, long deadline)
            throws IOException {
        long start = System.nanoTime();
        for (;;) {
            List<Connection> ready = readyOnes(connections);
            long now = System.nanoTime();
            if (!ready.isEmpty() || (deadline != NonBlockingSocket.FOREVER && deadline - now <= 0)) {
                return ready;
            }
            checkInterrupt();
            long waited = now - start;
            if (waited < 50_000) {
                Thread.onSpinWait();
            } else {
                long park = Math.min(1_000_000, Math.max(20_000, waited / 8));
                LockSupport.parkNanos(deadline == NonBlockingSocket.FOREVER ? park
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
        boolean allPipes = true;
        for (Connection c : connections) {
            Objects.requireNonNull(c, "a connection passed to select is null");
            allSockets &= c instanceof Selectable;
            allPipes &= c instanceof Awaitable;
        }
        if (allPipes && !connections.isEmpty()) {
            return awaitAll(new ArrayList<>(connections), deadline);
        }
        if (!allSockets) {
            return pollAll(connections, deadline);
        }
        for (;;) {
            List<Connection> ready = readyOnes(connections);
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
            checkInterrupt();
        }
    }
}
