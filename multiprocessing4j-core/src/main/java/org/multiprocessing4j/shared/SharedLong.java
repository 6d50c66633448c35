package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Objects;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * A {@code long} in shared memory (Python's {@code Value('q', v)}) with the methods of
 * {@link java.util.concurrent.atomic.AtomicLong}, atomic across processes.
 *
 * <pre>{@code
 * SharedLong counter = new SharedLong(0);
 * new ChildProcess(() -> counter.incrementAndGet()).start();
 * }</pre>
 *
 * <h2>Cross-process visibility</h2>
 * Every method is a volatile access or an atomic read-modify-write on shared memory ({@code VarHandle} semantics
 * on the mapping): a write happens-before a read, in any process, that sees it. Compound updates that need more
 * than one operation go under {@link #lock()}, as with Python's {@code get_lock()}.
 *
 * <h2>If a participating process dies</h2>
 * The value keeps what the dead process last wrote; every single operation is atomic, so none is half-done. A
 * process that dies holding {@link #lock()} passes it on (see {@code ProcessReentrantLock}).
 *
 * <p>Serializable: a copy captured by a child's target attaches the same memory there. The memory lives while its
 * creating process lives and, after that, while any process still uses it.
 */
public class SharedLong extends Number {
    private static final long serialVersionUID = 2L;
    private static final int BYTES = 8;

    private final SharedBlock block;
    private transient Segment segment;

    /**
     * Makes a shared long in a new shared-memory segment.
     *
     * @param initialValue its value
     */
    public SharedLong(long initialValue) {
        this.block = SharedBlock.create(Kinds.SHARED_LONG, BYTES);
        this.segment = block.segment();
        set(initialValue);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = block.attach(Kinds.SHARED_LONG, BYTES);
    }

    /** @return the lock for compound updates (Python's {@code get_lock()}); the same lock in every process */
    public ProcessReentrantLock lock() {
        return block.lock();
    }

    /** @return the value (volatile read) */
    public long get() {
        return segment.getLongVolatile(0);
    }

    /** @param newValue the value to write (volatile write) */
    public void set(long newValue) {
        segment.setLongVolatile(0, newValue);
    }

    /** @param newValue the value to write (release write: ordered after earlier writes, not before later reads) */
    public void lazySet(long newValue) {
        segment.setLongRelease(0, newValue);
    }

    /** @return the previous value */
    public long getAndSet(long newValue) {
        return segment.getAndSetLong(0, newValue);
    }

    /** @return whether the value was {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(long expectedValue, long newValue) {
        return segment.compareAndSetLong(0, expectedValue, newValue);
    }

    /** @return the previous value */
    public long getAndIncrement() {
        return segment.getAndAddLong(0, 1);
    }

    /** @return the previous value */
    public long getAndDecrement() {
        return segment.getAndAddLong(0, -1);
    }

    /** @return the previous value */
    public long getAndAdd(long delta) {
        return segment.getAndAddLong(0, delta);
    }

    /** @return the updated value */
    public long incrementAndGet() {
        return segment.getAndAddLong(0, 1) + 1;
    }

    /** @return the updated value */
    public long decrementAndGet() {
        return segment.getAndAddLong(0, -1) - 1;
    }

    /** @return the updated value */
    public long addAndGet(long delta) {
        return segment.getAndAddLong(0, delta) + delta;
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the previous value
     */
    public long getAndUpdate(LongUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            long prev = get();
            if (compareAndSet(prev, updateFunction.applyAsLong(prev))) {
                return prev;
            }
        }
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the updated value
     */
    public long updateAndGet(LongUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            long prev = get();
            long next = updateFunction.applyAsLong(prev);
            if (compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /**
     * @param x the other operand
     * @param accumulatorFunction a side-effect-free function of (current, x)
     * @return the previous value
     */
    public long getAndAccumulate(long x, LongBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return getAndUpdate(v -> accumulatorFunction.applyAsLong(v, x));
    }

    /**
     * @param x the other operand
     * @param accumulatorFunction a side-effect-free function of (current, x)
     * @return the updated value
     */
    public long accumulateAndGet(long x, LongBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return updateAndGet(v -> accumulatorFunction.applyAsLong(v, x));
    }

    @Override
    public int intValue() {
        return (int) get();
    }

    @Override
    public long longValue() {
        return get();
    }

    @Override
    public float floatValue() {
        return get();
    }

    @Override
    public double doubleValue() {
        return get();
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
