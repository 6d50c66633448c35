package org.multiprocessing4j.shared;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.sync.Kinds;
import org.multiprocessing4j.sync.ProcessReentrantLock;

/**
 * A {@code double} in shared memory (Python's {@code Value('d', v)}) with the methods of
 * {@link java.util.concurrent.atomic.AtomicLong} that make sense for a double, atomic across processes. The value
 * is held as its IEEE 754 bits ({@link Double#doubleToRawLongBits}); {@link #compareAndSet} compares bits, so
 * {@code NaN} equals the same {@code NaN} and {@code 0.0} differs from {@code -0.0}, as in
 * {@code VarHandle.compareAndSet} on a {@code double}.
 *
 * <h2>Cross-process visibility</h2>
 * Every method is a volatile access or an atomic read-modify-write on shared memory: a write happens-before a
 * read, in any process, that sees it. Compound updates go under {@link #lock()}.
 *
 * <h2>If a participating process dies</h2>
 * The value keeps what the dead process last wrote; no single operation is half-done. A process that dies
 * holding {@link #lock()} passes it on (see {@code ProcessReentrantLock}).
 *
 * <p>Serializable: a copy captured by a child's target attaches the same memory there.
 */
public class SharedDouble extends Number {
    private static final long serialVersionUID = 2L;
    private static final int BYTES = 8;

    private final SharedBlock block;
    private transient Segment segment;

    /**
     * Makes a shared double in a new shared-memory segment.
     *
     * @param initialValue its value
     */
    public SharedDouble(double initialValue) {
        this.block = SharedBlock.create(Kinds.SHARED_DOUBLE, BYTES);
        this.segment = block.segment();
        set(initialValue);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        segment = block.attach(Kinds.SHARED_DOUBLE, BYTES);
    }

    /** @return the lock for compound updates (Python's {@code get_lock()}); the same lock in every process */
    public ProcessReentrantLock lock() {
        return block.lock();
    }

    /** @return the value (volatile read) */
    public double get() {
        return Double.longBitsToDouble(segment.getLongVolatile(0));
    }

    /** @param newValue the value to write (volatile write) */
    public void set(double newValue) {
        segment.setLongVolatile(0, Double.doubleToRawLongBits(newValue));
    }

    /** @param newValue the value to write (release write) */
    public void lazySet(double newValue) {
        segment.setLongRelease(0, Double.doubleToRawLongBits(newValue));
    }

    /** @return the previous value */
    public double getAndSet(double newValue) {
        return Double.longBitsToDouble(segment.getAndSetLong(0, Double.doubleToRawLongBits(newValue)));
    }

    /** @return whether the value had the bits of {@code expectedValue} and is now {@code newValue} */
    public boolean compareAndSet(double expectedValue, double newValue) {
        return segment.compareAndSetLong(0, Double.doubleToRawLongBits(expectedValue),
                Double.doubleToRawLongBits(newValue));
    }

    /** @return the previous value */
    public double getAndAdd(double delta) {
        return getAndUpdate(v -> v + delta);
    }

    /** @return the updated value */
    public double addAndGet(double delta) {
        return updateAndGet(v -> v + delta);
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the previous value
     */
    public double getAndUpdate(DoubleUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            long bits = segment.getLongVolatile(0);
            double prev = Double.longBitsToDouble(bits);
            if (segment.compareAndSetLong(0, bits, Double.doubleToRawLongBits(updateFunction.applyAsDouble(prev)))) {
                return prev;
            }
        }
    }

    /**
     * @param updateFunction a side-effect-free function (it may run more than once)
     * @return the updated value
     */
    public double updateAndGet(DoubleUnaryOperator updateFunction) {
        Objects.requireNonNull(updateFunction, "updateFunction");
        while (true) {
            long bits = segment.getLongVolatile(0);
            double next = updateFunction.applyAsDouble(Double.longBitsToDouble(bits));
            if (segment.compareAndSetLong(0, bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    /** @return the previous value */
    public double getAndAccumulate(double x, DoubleBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return getAndUpdate(v -> accumulatorFunction.applyAsDouble(v, x));
    }

    /** @return the updated value */
    public double accumulateAndGet(double x, DoubleBinaryOperator accumulatorFunction) {
        Objects.requireNonNull(accumulatorFunction, "accumulatorFunction");
        return updateAndGet(v -> accumulatorFunction.applyAsDouble(v, x));
    }

    @Override
    public int intValue() {
        return (int) get();
    }

    @Override
    public long longValue() {
        return (long) get();
    }

    @Override
    public float floatValue() {
        return (float) get();
    }

    @Override
    public double doubleValue() {
        return get();
    }

    @Override
    public String toString() {
        return Double.toString(get());
    }
}
