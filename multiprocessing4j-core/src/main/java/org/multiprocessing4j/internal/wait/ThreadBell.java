package org.multiprocessing4j.internal.wait;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * One waiting thread's own wake-up socket: a Unix-domain socket {@code <runtime dir>/bell-<thread>.sock} that only
 * that thread reads, so that a waker in any process wakes it in one hop (its write makes the waiter's own
 * {@code epoll_wait} return), where the process {@link Doorbell} takes two (a selector thread, then an unpark).
 *
 * <pre>
 * Overview.
 *  Made by its thread on the thread's first wait (WaitQueue.enter), before it announces itself, so a waker that
 *  sees the announcement finds the socket. At most MAX (mp4j.wait.maxThreadBells, 64) live bells per process: each
 *  costs ~3 descriptors plus one per process that rang it; threads beyond that use the Doorbell.
 *  Waiting ({@link #await}): Selector.select(ms) on the server socket and the connections of wakers; whatever is
 *  ready is accepted or drained (a byte per ring; the bytes carry nothing). Select counts whole milliseconds:
 *  a poll interval is rounded up (a late poll is harmless); a deadline is rounded down, and its sub-millisecond
 *  rest parks instead, so that a timed wait never overshoots (a ring meanwhile is seen at the end of the rest,
 *  via the WOKEN bit).
 *  An interrupt makes select return at once (the channel is not closed: a selector is not an interruptible
 *  channel), so interrupts behave as with LockSupport.park.
 *  Ringing from this process: Selector.wakeup() (an eventfd write), no socket; from elsewhere: {@link BellLines}.
 *  A stale ring (its waiter left before it came) only makes the next wait return early: spurious wake-ups are
 *  tolerated by every caller, which re-checks WOKEN.
 *  Lifecycle: a bell lives as long as its thread. Making a bell first closes those of ended threads (socket file
 *  deleted); the runtime directory, with any files left, goes when the JVM exits (or, after kill -9, with the next
 *  JVM's sweep).
 * </pre>
 */
final class ThreadBell {
    private static final int MAX = Integer.getInteger("mp4j.wait.maxThreadBells", 64);
    private static final Map<Integer, ThreadBell> BELLS = new ConcurrentHashMap<>();
    /** The current thread's bell; NONE once making one failed or the process had MAX. */
    private static final ThreadLocal<ThreadBell> CURRENT = new ThreadLocal<>();
    private static final ThreadBell NONE = new ThreadBell();

    private final int slot;
    private final WeakReference<Thread> owner;
    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocate(64);

    private ThreadBell() {
        slot = 0;
        owner = null;
        path = null;
        server = null;
        selector = null;
    }

    private ThreadBell(int slot, Path path) throws IOException {
        this.slot = slot;
        this.owner = new WeakReference<>(Thread.currentThread());
        this.path = path;
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = null;
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            s.configureBlocking(false);
            sel = Selector.open();
            s.register(sel, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            s.close();
            if (sel != null) {
                sel.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
        this.server = s;
        this.selector = sel;
    }

    /** @return the socket file name of thread {@code slot}'s bell */
    static String fileName(int slot) {
        return "bell-" + slot + ".sock";
    }

    /**
     * The current thread's bell, made on first use.
     *
     * @return the bell, or {@code null} if this thread has none (the process has MAX, or the socket could not be
     *     made): it then waits through the {@link Doorbell}
     */
    static ThreadBell current() {
        ThreadBell b = CURRENT.get();
        if (b == null) {
            b = make();
            CURRENT.set(b);
        }
        return b == NONE ? null : b;
    }

    private static synchronized ThreadBell make() {
        BELLS.values().removeIf(ThreadBell::closeIfOrphan);
        if (BELLS.size() >= MAX) {
            return NONE;
        }
        int slot = ThreadSlots.current();
        try {
            ThreadBell b = new ThreadBell(slot, RuntimeDir.get().path().resolve(fileName(slot)));
            BELLS.put(slot, b);
            return b;
        } catch (IOException | RuntimeException e) {
            return NONE; // no socket (descriptor limit, path): the Doorbell serves this thread
        }
    }

    /**
     * Wakes thread {@code slot} of this process if it has a bell.
     *
     * @param slot a {@link ThreadSlots} number
     * @return whether it had one
     */
    static boolean ringLocal(int slot) {
        ThreadBell b = BELLS.get(slot);
        if (b == null) {
            return false;
        }
        b.selector.wakeup();
        return true;
    }

    /**
     * Waits, on the calling thread (the bell's own), for a ring, an interrupt, or about {@code nanos}; may return
     * early.
     *
     * @param blocker the object the thread waits for, as for {@link LockSupport#parkNanos(Object, long)}
     * @param nanos how long to wait
     * @param exact true: never longer (a deadline: a sub-millisecond rest parks, deaf to rings); false: up to a
     *     millisecond longer is fine (a poll interval), so the bell listens throughout
     */
    void await(Object blocker, long nanos, boolean exact) {
        long millis = nanos / 1_000_000 + (exact || nanos % 1_000_000 == 0 ? 0 : 1);
        if (millis == 0) {
            LockSupport.parkNanos(blocker, nanos);
            return;
        }
        try {
            selector.select(millis);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isValid() && k.isAcceptable()) {
                    SocketChannel ch = server.accept();
                    if (ch != null) {
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                    }
                } else if (k.isValid() && k.isReadable()) {
                    drain(k);
                }
            }
        } catch (IOException e) {
            // no descriptor for a new connection, say: rest without the socket (the WOKEN bit is seen after it)
            LockSupport.parkNanos(blocker, nanos);
        }
    }

    private void drain(SelectionKey k) {
        SocketChannel ch = (SocketChannel) k.channel();
        try {
            int n;
            do {
                scratch.clear();
                n = ch.read(scratch);
            } while (n == scratch.capacity()); // less: drained (a read that finds nothing would cost a system call)
            if (n < 0) {
                PeerSockets.drop(k);
            }
        } catch (IOException e) {
            PeerSockets.drop(k);
        }
    }

    /** Closes this bell if its thread has ended; called under the class lock. */
    private boolean closeIfOrphan() {
        Thread t = owner.get();
        if (t != null && t.getState() != Thread.State.TERMINATED) {
            return false;
        }
        for (SelectionKey k : selector.keys()) {
            PeerSockets.closeQuietly(k.channel());
        }
        PeerSockets.closeQuietly(selector);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: the runtime directory goes with the JVM
        }
        return true;
    }

    @Override
    public String toString() {
        return "ThreadBell[slot=" + slot + " path=" + path + "]";
    }
}
