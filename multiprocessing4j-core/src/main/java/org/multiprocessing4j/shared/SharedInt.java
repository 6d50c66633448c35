package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * An {@code int} in shared memory (Python's {@code Value('i', v)}) with the methods of
 * {@link java.util.concurrent.atomic.AtomicInteger}, atomic across processes.
 *
 * <pre>{@code
 * SharedInt counter = new SharedInt(0);
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
public class SharedInt extends Number {
    private static final long serialVersionUID = 2L;
    private static final int BYTES = 8;

    private final SharedBlock block;
    private transient Segment segment;

    /**
     * Makes a shared int in a new shared-memory segment.
     *
     * @param initialValue its value
     */
    public SharedInt(int initialValue) {
        this.block = SharedBlock.create(Kinds.SHARED_INT, BYTES);
        this.segment = block.segment();
        set(initialValue);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = block.attach(Kinds.SHARED_INT, BYTES);
    }

    /** @return the lock for compound updates (Python's {@code get_lock()}); the same lock in every process */
    public ProcessReentrantLock lock() {
        return block.lock();
    }

    /** @return the value (volatile read) */
    public int get() {
        return segment.getIntVolatile(0);
    }

    /** @param newValue the value to write (volatile write) */
    public void set(int newValue) {
        segment.setIntVolatile(0, newValue);
    }

    /** @param newValue the value to write (release write: ordered after earlier writes, not before later reads) */
    public void lazySet(int newValue) {
        segment.setIntRelease(0, newValue);
    }

    /** @return the previous value */
    public int getAndSet(int newValue) {
        return segment.getAndSetInt(0, newValue);
    }

    /** @return whether the value was {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(int expectedValue, int newValue) {
        return segment.compareAndSetInt(0, expectedValue, newValue);
    }

    /** @return the previous value */
    public int getAndIncrement() {
        return segment.getAndAddInt(0, 1);
    }

    /** @return the previous value */
    public int getAndDecrement() {
        return segment.getAndAddInt(0, -1);
    }

    /** @return the previous value */
    public int getAndAdd(int delta) {
        return segment.getAndAddInt(0, delta);
    }

    /** @return the updated value */
    public int incrementAndGet() {
        return segment.getAndAddInt(0, 1) + 1;
    }

    /** @return the updated value */
    public int decrementAndGet() {
        return segment.getAndAddInt(0, -1) - 1;
    }

    /** @return the updated value */
    public int addAndGet(int delta) {
        return segment.getAndAddInt(0, delta) + delta;
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the previous value
     */
    public int getAndUpdate(IntUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            int prev = get();
            if (compareAndSet(prev, updateFunction.applyAsInt(prev))) {
                return prev;
            }
        }
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the updated value
     */
    public int updateAndGet(IntUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            int prev = get();
            int next = updateFunction.applyAsInt(prev);
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
    public int getAndAccumulate(int x, IntBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return getAndUpdate(v -> accumulatorFunction.applyAsInt(v, x));
    }

    /**
     * @param x the other operand
     * @param accumulatorFunction a side-effect-free function of (current, x)
     * @return the updated value
     */
    public int accumulateAndGet(int x, IntBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return updateAndGet(v -> accumulatorFunction.applyAsInt(v, x));
    }

    @Override
    public int intValue() {
        return get();
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
        return Integer.toString(get());
    }
}
