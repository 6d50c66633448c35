package org.multiprocessing4j.internal.wait;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small numbers for this JVM's threads, so that shared memory can name a thread (a waiter, a lock owner) in a few
 * bits and a doorbell message or a bell socket's name can say which thread to wake. A number is given on a thread's
 * first use and never reused in this JVM; the table holds threads weakly and is pruned as it grows.
 */
public final class ThreadSlots {
    /** Numbers fit in this many bits. */
    public static final int BITS = 29;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Map<Integer, WeakReference<Thread>> THREADS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Integer> SLOT = ThreadLocal.withInitial(ThreadSlots::assign);
    private static final long PID_BITS = org.multiprocessing4j.internal.resource.ProcessIdentity.selfPid() << 32;

    private ThreadSlots() {
    }

    /** @return the current thread's number, 1 or more */
    public static int current() {
        return SLOT.get();
    }

    /**
     * The current thread as a lock owner in shared memory: {@code pid << 32 | (thread id mod 2^29 + 1) << 1}: bits
     * 1..30 are never all 0, and bits 0 and 31 are left free for the lock's own use. Unique on the machine among
     * live threads as long as this JVM has made fewer than 2^29 threads. The thread id (a field read) rather than a ThreadLocal keeps the uncontended lock
     * path short.
     *
     * @return the key
     */
    public static long ownerKey() {
        return PID_BITS | ((Thread.currentThread().getId() & 0x1FFF_FFFFL) + 1) << 1;
    }

    /**
     * @param slot a number
     * @return its thread, or {@code null} if it has ended or never was
     */
    public static Thread thread(int slot) {
        WeakReference<Thread> r = THREADS.get(slot);
        return r == null ? null : r.get();
    }

    private static int assign() {
        int n = NEXT.incrementAndGet();
        if (n >= 1 << BITS) {
            throw new IllegalStateException("too many threads have waited in this JVM: threads=" + n);
        }
        THREADS.put(n, new WeakReference<>(Thread.currentThread()));
        if (Integer.bitCount(n) == 1 && n >= 64) {
            THREADS.values().removeIf(r -> {
                Thread t = r.get();
                return t == null || t.getState() == Thread.State.TERMINATED;
            });
        }
        return n;
    }
}
