package org.multiprocessing4j.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.shared.SharedInt;
import org.multiprocessing4j.shared.SharedLong;
import org.multiprocessing4j.shared.SharedLongArray;
import org.multiprocessing4j.shared.SharedMemory;
import org.multiprocessing4j.sync.ProcessBarrier;
import org.multiprocessing4j.sync.ProcessEvent;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * The workers of shared_value_lock, in a class of their own (as StartTargets): each waits at the barrier, does its
 * {@code n} operations, and writes its own finish time ({@link System#nanoTime()}, comparable across processes on
 * Linux) into {@code ends[index]}: Python's {@code res.put(now_ns())}. Before the barrier each runs the same loop
 * {@link #WARMUP_CALLS} x {@link #WARMUP_CHUNK} times on shared warm-up memory, so that the timed loop runs JIT-compiled code.
 */
final class SharedValueTargets {
    /** Offsets in the raw block of the spin-lock floor: the lock word and the counter, on separate cache lines. */
    static final int SPIN_WORD = 0;
    static final int SPIN_COUNTER = 64;
    /**
     * Before the barrier the workers call their loop method {@value #WARMUP_CALLS} times with
     * {@value #WARMUP_CHUNK} iterations on warm-up memory they share, starting together, so that the method itself
     * (not only an on-stack replacement of one call) is compiled by C2 with the contended paths in its profile when
     * the timed call enters it. (Warmed up alone, the compiled loop met its first failed CAS in the timed region,
     * deoptimized, and ran interpreted for tens of milliseconds.) CPython has no JIT to warm; the timed region is
     * still exactly n operations per worker.
     */
    static final int WARMUP_CALLS = 300;
    static final int WARMUP_CHUNK = 1000;
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private SharedValueTargets() {
    }

    /** What the workers of one repetition warm up on together: a value with its lock, a raw block, a start line. */
    static final class Warmup implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final SharedInt value = new SharedInt(0);
        final SharedMemory block = SharedMemory.create(128);
        final ProcessBarrier start;

        Warmup(int parties) {
            start = new ProcessBarrier(parties);
        }

        void close() {
            block.unlink();
            block.close();
        }
    }

    /** Python's {@code worker}: {@code with lock: v.value += 1}, n times. */
    static SerializableRunnable lockedIncrements(SharedInt v, Warmup warmup, ProcessBarrier barrier,
            SharedLongArray ends, int index, int n) {
        return () -> {
            SharedInt warm = warmup.value;
            warmup.start.await();
            for (int i = 0; i < WARMUP_CALLS; i++) {
                locked(warm, warm.lock(), WARMUP_CHUNK);
            }
            ProcessReentrantLock lock = v.lock();
            barrier.await();
            locked(v, lock, n);
            ends.set(index, System.nanoTime());
        };
    }

    private static void locked(SharedInt v, ProcessReentrantLock lock, int n) {
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                v.set(v.get() + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The idle waiter of the wake-up latency probe: waits for {@code ping} (parked, not spinning: the parent pauses
     * before each set), records {@code now - sentAt} into {@code latencies[i]}, and answers with {@code pong}.
     */
    static SerializableRunnable idleWaiter(ProcessEvent ping, ProcessEvent pong, SharedLong sentAt,
            SharedLongArray latencies) {
        return () -> {
            for (int i = 0; i < latencies.length(); i++) {
                ping.await();
                long now = System.nanoTime();
                latencies.set(i, now - sentAt.get());
                ping.clear();
                pong.set();
            }
        };
    }

    /** A waiter that waits for {@code done} for ever: its CPU use while idle is measured from outside. */
    static SerializableRunnable foreverWaiter(ProcessEvent ready, ProcessEvent done) {
        return () -> {
            ready.set();
            done.await();
        };
    }

    /** {@code v.incrementAndGet()}, n times: an atomic add across processes, no lock. */
    static SerializableRunnable atomicIncrements(SharedInt v, Warmup warmup, ProcessBarrier barrier,
            SharedLongArray starts, SharedLongArray ends, int index, int n) {
        return () -> {
            SharedInt warm = warmup.value;
            warmup.start.await();
            for (int i = 0; i < WARMUP_CALLS; i++) {
                atomic(warm, WARMUP_CHUNK);
            }
            barrier.await();
            starts.set(index, System.nanoTime());
            atomic(v, n);
            ends.set(index, System.nanoTime());
        };
    }

    private static void atomic(SharedInt v, int n) {
        for (int i = 0; i < n; i++) {
            v.incrementAndGet();
        }
    }

    /** The floor: a bare test-and-set spin lock on mapped memory around a plain increment, n times. */
    static SerializableRunnable spinLockIncrements(SharedMemory block, Warmup warmup, ProcessBarrier barrier,
            SharedLongArray ends, int index, int n) {
        return () -> {
            ByteBuffer warm = warmup.block.buffer();
            warmup.start.await();
            for (int i = 0; i < WARMUP_CALLS; i++) {
                spins(warm, WARMUP_CHUNK);
            }
            ByteBuffer b = block.buffer();
            barrier.await();
            spins(b, n);
            ends.set(index, System.nanoTime());
        };
    }

    private static void spins(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            spinLock(b);
            b.putInt(SPIN_COUNTER, b.getInt(SPIN_COUNTER) + 1);
            INT.setRelease(b, SPIN_WORD, 0);
        }
    }

    static void spinLock(ByteBuffer b) {
        while (!INT.compareAndSet(b, SPIN_WORD, 0, 1)) {
            while ((int) INT.getVolatile(b, SPIN_WORD) != 0) {
                Thread.onSpinWait();
            }
        }
    }
}
